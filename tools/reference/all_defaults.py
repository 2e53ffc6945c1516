"""GetDefaults of every model of real NEST 3.10 -> tests/reference/all_defaults.json

Protocol: for each name in ``nest.node_models`` and then ``nest.synapse_models``, right
after a fresh ``nest.ResetKernel()``, ``nest.GetDefaults(name)`` (the whole dict) is stored
under ``"nodes"[name]`` or ``"synapses"[name]``. Values are encoded with
``_common.to_jsonable``. ``tests/test_defaults.py`` compares every model nestling has with
these.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def main():
    import nest

    _common.quiet(nest)
    nest.ResetKernel()
    out = {"nest_version": nest.__version__, "nodes": {}, "synapses": {}}
    for kind, names in (("nodes", list(nest.node_models)), ("synapses", list(nest.synapse_models))):
        for name in names:
            nest.ResetKernel()
            out[kind][name] = nest.GetDefaults(name)
    _common.write_json("all_defaults.json", out)


if __name__ == "__main__":
    main()
