"""Membrane-potential traces, in the manner of PyNEST's ``nest.voltage_trace``.

One line per recorded neuron is drawn into the *current* matplotlib axes
(unlike ``raster_plot``, which opens a new figure), with a legend naming the
neurons.  Only the public PyNEST API is used to read the recorder, and
``nest``/``matplotlib.pyplot`` are imported when a function is called, so
importing this module is cheap and does not select a matplotlib backend.

Examples
--------
>>> import nest
>>> import nest.voltage_trace
>>> neuron = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
>>> voltmeter = nest.Create("voltmeter")
>>> nest.Connect(voltmeter, neuron)
>>> nest.Simulate(100.0)
>>> lines = nest.voltage_trace.from_device(voltmeter)
"""

import numpy

from ._recorder_access import as_node_collection, device_error, single_status

__all__ = ["from_device", "from_file", "show"]

_VOLTAGE_MODELS = ("voltmeter", "multimeter")
_YLABEL = "Membrane potential (mV)"


def _node_ids(neurons):
    """Plain list of ints from a NodeCollection, an int or a sequence of ints."""
    if neurons is None:
        return None
    if hasattr(neurons, "tolist"):
        return [int(i) for i in neurons.tolist()]
    if isinstance(neurons, (int, numpy.integer)):
        return [int(neurons)]
    return [int(i) for i in neurons]


def _plot_traces(traces, title, grayscale, xlabel):
    """Draw ``(node_id, times, values)`` traces into the current axes.

    Returns the list of per-trace ``plot`` results, as PyNEST does.
    """
    import matplotlib.pyplot as plt

    style = {"color": "k"} if grayscale else {}
    plotted = []
    for node_id, times, values in traces:
        plotted.append(plt.plot(times, values, label=f"Neuron {node_id}", **style))
    plt.legend()
    plt.xlabel(xlabel)
    plt.ylabel(_YLABEL)
    plt.title(title)
    return plotted


def from_device(detec, neurons=None, title=None, grayscale=False, timeunit="ms"):
    """Plot the membrane potential recorded by a voltmeter or multimeter.

    Parameters
    ----------
    detec : NodeCollection
        A single ``voltmeter``, or a ``multimeter`` recording ``V_m`` (a list
        with its node ID is accepted too).
    neurons : NodeCollection or sequence of int, optional
        Node IDs to plot, in this order; default: every recorded neuron in
        ascending order.
    title : str, optional
        Plot title (default ``"Membrane potential"``).
    grayscale : bool, optional
        Draw all traces in black.
    timeunit : {"ms", "s"}, optional
        Unit of the time axis; any other value means ms.

    Returns
    -------
    list of list of matplotlib.lines.Line2D
        For each plotted neuron, the artists returned by ``plot``.

    Raises
    ------
    TypeError
        (also a ``nest.NESTErrors.BadProperty``) if `detec` is not a single
        voltmeter or multimeter.
    ValueError
        (also a ``nest.NESTErrors.BadProperty``) if a multimeter does not
        record ``V_m``, or nothing was recorded.
    KeyError
        (also a ``nest.NESTErrors.BadProperty``) if a neuron in `neurons` was
        not recorded.
    """
    detec = as_node_collection(detec, "voltmeter")
    if len(detec) != 1:
        raise device_error(
            f"Please provide a single 'voltmeter' or 'multimeter', got {len(detec)} nodes.",
            TypeError,
        )
    model = single_status(detec, "model")
    if model not in _VOLTAGE_MODELS:
        raise device_error(
            f"Please provide a 'voltmeter' or a 'multimeter' measuring V_m, not a '{model}'.",
            TypeError,
        )
    if model == "multimeter" and "V_m" not in list(detec.get("record_from")):
        raise device_error("Please provide a 'multimeter' measuring 'V_m'.", ValueError)

    record_to = single_status(detec, "record_to")
    if record_to == "ascii":
        files = detec.get("filenames")
        if isinstance(files, str):
            files = [files]
        return from_file(list(files), title=title, grayscale=grayscale)
    if record_to != "memory":
        raise device_error(
            f"Cannot read potentials back from a recorder with record_to='{record_to}'.",
            ValueError,
        )

    events = single_status(detec, "events")
    times = numpy.asarray(events["times"])
    if len(times) == 0:
        raise device_error("No events recorded.", ValueError)
    senders = numpy.asarray(events["senders"])
    potentials = numpy.asarray(events["V_m"])

    if single_status(detec, "time_in_steps"):
        # Times are integer steps here; a unit conversion would be meaningless.
        xlabel = "Steps"
    elif timeunit == "s":
        times = times / 1000.0
        xlabel = "Time (s)"
    else:
        xlabel = "Time (ms)"

    ids = _node_ids(neurons)
    recorded = numpy.unique(senders)
    if ids is None:
        ids = [int(i) for i in recorded]
    missing = [i for i in ids if i not in set(recorded.tolist())]
    if missing:
        raise device_error(f"Neuron(s) {missing} were not recorded by this {model}.", KeyError)

    traces = []
    for node_id in ids:
        mask = senders == node_id
        traces.append((node_id, times[mask], potentials[mask]))
    return _plot_traces(traces, "Membrane potential" if title is None else title, grayscale, xlabel)


def _load_trace_files(names):
    """Read and concatenate ASCII voltage files.

    Returns the data matrix and the column names from NEST's header line, if
    the files carry one (``sender time_ms V_m ...``).
    """
    blocks = []
    header = None
    for name in names:
        rows = []
        with open(name) as handle:
            for line in handle:
                fields = line.split()
                if not fields or fields[0].startswith("#"):
                    continue
                try:
                    rows.append([float(x) for x in fields])
                except ValueError:
                    header = fields
        if rows:
            blocks.append(numpy.array(rows))
    if not blocks:
        raise ValueError(f"No data found in {names!r}.")
    return numpy.concatenate(blocks), header


def from_file(fname, title=None, grayscale=False):
    """Plot membrane potentials from files written by a voltmeter or multimeter.

    Three or more columns are read as ``sender, time, V_m, ...`` (the
    ``V_m`` column is located by NEST's header when there is one); two
    columns as ``sender, V_m``, plotted against the sample index.

    Parameters
    ----------
    fname : str or sequence of str
        File name, or several names whose contents are concatenated.
    title : str, optional
        Plot title (default ``"Membrane potential from file '<fname>'"``).
    grayscale : bool, optional
        Draw all traces in black.

    Returns
    -------
    list of list of matplotlib.lines.Line2D
        For each plotted neuron, the artists returned by ``plot``.

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    ValueError
        If the files hold no data or only one column.
    """
    names = [fname] if isinstance(fname, str) else list(fname)
    shown_name = names[0] if len(names) == 1 else fname
    if title is None:
        title = f"Membrane potential from file '{shown_name}'"
    data, header = _load_trace_files(names)
    senders = data[:, 0].astype(int)
    if data.shape[1] >= 3:
        column = 2
        if header is not None and "V_m" in header:
            column = header.index("V_m")
        times = data[:, 1]
        xlabel = "Steps" if header is not None and header[1] == "time_step" else "Time (ms)"
        traces = [(i, times[senders == i], data[senders == i, column]) for i in numpy.unique(senders)]
    elif data.shape[1] == 2:
        # No times in the file: each neuron's samples are numbered in order.
        xlabel = "Time (steps of length interval)"
        traces = []
        for i in numpy.unique(senders):
            values = data[senders == i, 1]
            traces.append((i, numpy.arange(len(values)), values))
    else:
        raise ValueError("Voltage files need at least two columns (sender and V_m).")
    return _plot_traces(traces, title, grayscale, xlabel)


def show():
    """Show all open figures (``matplotlib.pyplot.show``)."""
    import matplotlib.pyplot as plt

    plt.show()
