"""Raster plots of recorded spikes, in the manner of PyNEST's ``nest.raster_plot``.

A raster plot shows one dot per spike, at the spike time (x) and the sender's
node ID (y).  By default a histogram of the population rate is drawn in a
second, smaller panel below the raster.

The functions only talk to the simulator through the public PyNEST API
(``NodeCollection.get``), so this module works unchanged on top of any
implementation of that API.  ``nest`` and ``matplotlib.pyplot`` are imported
when a function is called, never at import time: importing this module neither
needs a display nor selects a matplotlib backend.

Examples
--------
>>> import nest
>>> import nest.raster_plot
>>> neurons = nest.Create("iaf_psc_alpha", 10, params={"I_e": 376.0})
>>> recorder = nest.Create("spike_recorder")
>>> nest.Connect(neurons, recorder)
>>> nest.Simulate(200.0)
>>> lines = nest.raster_plot.from_device(recorder, hist=True)
"""

import numpy

from ._recorder_access import as_node_collection, device_error, single_status

__all__ = [
    "extract_events",
    "from_data",
    "from_device",
    "from_file",
    "from_file_numpy",
    "from_file_pandas",
    "show",
]

# Model names accepted as spike recorders.  ``spike_detector`` is the NEST 2.x
# name, which our package still accepts (with a DeprecationWarning) at Create.
_SPIKE_RECORDER_MODELS = ("spike_recorder", "spike_detector")

# Layout of the two panels when the histogram is shown, in figure fractions
# (left, bottom, width, height).  These are the positions PyNEST uses, so that
# figures made with either look the same.
_RASTER_RECT = (0.1, 0.3, 0.85, 0.6)
_HIST_RECT = (0.1, 0.1, 0.85, 0.17)


# --------------------------------------------------------------------------
# Event selection
# --------------------------------------------------------------------------


def extract_events(data, time=None, sel=None):
    """Select the events that fall in a time window and/or come from given senders.

    Parameters
    ----------
    data : array_like, shape (n_events, 2 or more)
        Event matrix: column 0 holds the senders' node IDs, column 1 the
        spike times.
    time : sequence of float, optional
        ``[t_max]`` keeps events with ``t < t_max``; ``[t_min, t_max]``
        keeps events with ``t_min <= t < t_max``.
    sel : sequence of int, optional
        Node IDs whose events are kept; all other events are dropped.

    Returns
    -------
    numpy.ndarray
        The rows of `data` meeting all given conditions, in their original
        order.  With no match the result has zero rows and `data`'s number
        of columns.

    Raises
    ------
    ValueError
        If `time` has neither one nor two entries.
    """
    data = numpy.asarray(data)
    if data.ndim != 2:
        data = data.reshape(-1, 2)
    keep = numpy.ones(len(data), dtype=bool)
    if time is not None:
        bounds = list(time)
        if len(bounds) == 1:
            keep &= data[:, 1] < bounds[0]
        elif len(bounds) == 2:
            keep &= (data[:, 1] >= bounds[0]) & (data[:, 1] < bounds[1])
        else:
            raise ValueError(f"time must be [t_max] or [t_min, t_max], got {time!r}.")
    if sel is not None:
        keep &= numpy.isin(data[:, 0], numpy.asarray(list(sel)))
    return data[keep]


# --------------------------------------------------------------------------
# Plotting
# --------------------------------------------------------------------------


def _rate_histogram(ts, n_neurons, binwidth):
    """Population rate in spikes/s per neuron, in bins starting at the first spike.

    Returns the left bin edges and the rates.  The last bin ends at the last
    spike (and includes it), as in PyNEST; its rate is still normalised by
    the full `binwidth`.
    """
    t_min = float(numpy.min(ts))
    t_max = float(numpy.max(ts))
    left = numpy.arange(t_min, t_max, binwidth)
    if len(left) == 0:
        # All spikes at one instant: PyNEST fails here; one bin is the sensible answer.
        left = numpy.array([t_min])
        edges = numpy.array([t_min, t_min + binwidth])
    else:
        edges = numpy.append(left, t_max)
    counts, _ = numpy.histogram(ts, bins=edges)
    rates = counts / (binwidth * n_neurons) * 1000.0
    return left, rates


def _make_plot(
    ts,
    ts1,
    node_ids,
    neurons,
    hist=True,
    hist_binwidth=5.0,
    grayscale=False,
    title=None,
    xlabel=None,
):
    """Draw the raster (and the optional rate histogram) in a new figure.

    Parameters
    ----------
    ts : array_like
        All spike times; the histogram is built from these.
    ts1 : array_like
        Spike times to show in the raster.
    node_ids : array_like
        Senders of `ts1`.
    neurons : array_like
        Senders of `ts`; the number of distinct ones normalises the rate.
    hist, hist_binwidth, grayscale, title, xlabel
        See `from_device`.

    Returns
    -------
    list of matplotlib.lines.Line2D
        The artist(s) created by the raster ``plot`` call.
    """
    import matplotlib.pyplot as plt

    ts = numpy.asarray(ts)
    ts1 = numpy.asarray(ts1)
    node_ids = numpy.asarray(node_ids)
    if xlabel is None:
        xlabel = "Time (ms)"
    if title is None:
        title = "Raster plot"
    raster_color = "k" if grayscale else None
    bar_color = "gray" if grayscale else "blue"
    style = {"color": raster_color} if raster_color else {}

    fig = plt.figure()
    if hist:
        ax_raster = fig.add_axes(_RASTER_RECT)
        lines = ax_raster.plot(ts1, node_ids, ".", **style)
        ax_raster.set_ylabel("Neuron ID")
        # The time axis is shared visually with the histogram below.
        ax_raster.set_xticks([])
        ax_raster.set_title(title)

        ax_hist = fig.add_axes(_HIST_RECT)
        n_neurons = len(numpy.unique(numpy.asarray(neurons)))
        left, rates = _rate_histogram(ts, n_neurons, float(hist_binwidth))
        ax_hist.bar(left, rates, width=hist_binwidth, color=bar_color, edgecolor="black")
        # Four round ticks with some head room above the highest bar.
        top = int(1.1 * float(numpy.max(rates)) + 5)
        ax_hist.set_yticks([int(v) for v in numpy.linspace(0.0, top, 4)])
        ax_hist.set_ylabel("Rate (spks/s)")
        ax_hist.set_xlabel(xlabel)
        ax_hist.set_xlim(ax_raster.get_xlim())
        # Leave the raster as the current axes, so that a following
        # ``plt.title`` or ``plt.ylim`` acts on the main panel.
        plt.sca(ax_raster)
    else:
        ax_raster = fig.add_subplot(1, 1, 1)
        lines = ax_raster.plot(ts1, node_ids, ".", **style)
        ax_raster.set_ylabel("Neuron ID")
        ax_raster.set_xlabel(xlabel)
        ax_raster.set_title(title)
    return lines


def from_data(
    data,
    sel=None,
    *,
    hist=True,
    hist_binwidth=5.0,
    grayscale=False,
    title=None,
    xlabel=None,
):
    """Draw a raster plot from an event matrix.

    Parameters
    ----------
    data : array_like, shape (n_events, 2)
        Column 0: senders' node IDs; column 1: spike times.
    sel : sequence of int, optional
        Only spikes of these node IDs are drawn in the raster.  The
        histogram always uses all events.
    hist : bool, optional
        Draw the population-rate histogram below the raster (default True).
    hist_binwidth : float, optional
        Histogram bin width, in the unit of the times (default 5.0 ms).
    grayscale : bool, optional
        Draw in black and gray instead of colours.
    title : str, optional
        Title of the raster panel (default ``"Raster plot"``).
    xlabel : str, optional
        Label of the time axis (default ``"Time (ms)"``).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The raster's line artist(s).

    Raises
    ------
    ValueError
        If `data` holds no events.
    """
    data = numpy.asarray(data, dtype=float)
    if data.size == 0:
        raise ValueError("No data to plot.")
    if data.ndim != 2 or data.shape[1] < 2:
        raise ValueError("data must be a matrix with node IDs in column 0 and times in column 1.")
    shown = extract_events(data, sel=sel)
    return _make_plot(
        data[:, 1],
        shown[:, 1],
        shown[:, 0],
        data[:, 0],
        hist=hist,
        hist_binwidth=hist_binwidth,
        grayscale=grayscale,
        title=title,
        xlabel=xlabel,
    )


def _load_event_files(fname):
    """Read and concatenate ASCII spike files (sender, time, ...).

    Comment lines (``#``) and a non-numeric column header, as written by
    NEST's ASCII recording backend, are skipped; plain two-column files work
    as well.
    """
    names = [fname] if isinstance(fname, str) else list(fname)
    blocks = []
    for name in names:
        rows = []
        with open(name) as handle:
            for line in handle:
                fields = line.split()
                if not fields or fields[0].startswith("#"):
                    continue
                try:
                    rows.append([float(x) for x in fields[:2]])
                except ValueError:
                    continue  # column header such as "sender time_ms"
        if rows:
            blocks.append(numpy.array(rows))
    if not blocks:
        return numpy.zeros((0, 2))
    return numpy.concatenate(blocks)


def from_file(fname, *, hist=True, hist_binwidth=5.0, grayscale=False, title=None, xlabel=None):
    """Draw a raster plot from spike files written by a spike recorder.

    Parameters
    ----------
    fname : str or sequence of str
        File name, or several names whose contents are concatenated (one
        file per MPI process or thread, for instance).
    hist, hist_binwidth, grayscale, title, xlabel
        As in `from_data`.

    Returns
    -------
    None
        As in PyNEST, the file variant returns nothing; the figure is the
        current one.

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    ValueError
        If the files hold no events.
    """
    data = _load_event_files(fname)
    from_data(
        data,
        hist=hist,
        hist_binwidth=hist_binwidth,
        grayscale=grayscale,
        title=title,
        xlabel=xlabel,
    )


def from_file_numpy(fname, **kwargs):
    """Same as `from_file` (the files are read with numpy)."""
    return from_file(fname, **kwargs)


def from_file_pandas(fname, **kwargs):
    """Same as `from_file`; kept for PyNEST compatibility, pandas is not needed."""
    return from_file(fname, **kwargs)


def from_device(detec, *, hist=True, hist_binwidth=5.0, grayscale=False, title=None, xlabel=None):
    """Draw a raster plot of the spikes held by a spike recorder.

    Parameters
    ----------
    detec : NodeCollection
        A single ``spike_recorder`` (``spike_detector`` in NEST 2.x
        scripts; a list with its node ID is accepted too).
    hist : bool, optional
        Draw the population-rate histogram below the raster (default True).
    hist_binwidth : float, optional
        Histogram bin width in ms (default 5.0).
    grayscale : bool, optional
        Draw in black and gray instead of colours.
    title : str, optional
        Title; default ``"Raster plot from device '<node ID>'"``.
    xlabel : str, optional
        Label of the time axis; default ``"Time (ms)"``, or ``"Steps"``
        when the recorder stores times in steps.

    Returns
    -------
    list of matplotlib.lines.Line2D or None
        The raster's line artist(s); None when the recorder writes to files
        (``record_to="ascii"``), whose contents are plotted via `from_file`.

    Raises
    ------
    TypeError
        (also a ``nest.NESTErrors.BadProperty``) if `detec` is not a single
        spike recorder.
    ValueError
        (also a ``nest.NESTErrors.BadProperty``) if the recorder holds no
        events, or records to a backend that cannot be read back.
    """
    detec = as_node_collection(detec, "spike recorder")
    if len(detec) != 1:
        raise device_error(
            f"Please provide a single 'spike_recorder', got {len(detec)} nodes.",
            TypeError,
        )
    model = single_status(detec, "model")
    if model not in _SPIKE_RECORDER_MODELS:
        raise device_error(f"Please provide a 'spike_recorder', not a '{model}'.", TypeError)

    record_to = single_status(detec, "record_to")
    if record_to == "ascii":
        files = detec.get("filenames")
        if isinstance(files, str):
            files = [files]
        return from_file(
            list(files),
            hist=hist,
            hist_binwidth=hist_binwidth,
            grayscale=grayscale,
            title=title,
            xlabel=xlabel,
        )
    if record_to != "memory":
        raise device_error(
            f"Cannot read spikes back from a recorder with record_to='{record_to}'.",
            ValueError,
        )

    events = single_status(detec, "events")
    ts = numpy.asarray(events["times"])
    senders = numpy.asarray(events["senders"])
    if len(ts) == 0:
        raise device_error(f"No events recorded by '{model}'.", ValueError)
    if xlabel is None:
        xlabel = "Steps" if single_status(detec, "time_in_steps") else "Time (ms)"
    if title is None:
        title = f"Raster plot from device '{single_status(detec, 'global_id')}'"
    return _make_plot(
        ts,
        ts,
        senders,
        senders,
        hist=hist,
        hist_binwidth=hist_binwidth,
        grayscale=grayscale,
        title=title,
        xlabel=xlabel,
    )


def show():
    """Show all open figures (``matplotlib.pyplot.show``)."""
    import matplotlib.pyplot as plt

    plt.show()
