"""Every model name of real NEST 3.10 -> tests/reference/model_names.json

Protocol: after ``nest.ResetKernel()``, store ``nest.node_models`` under ``"node_models"``
and ``nest.synapse_models`` under ``"synapse_models"`` (as lists, NEST's order), and for
each node model its ``element_type`` from ``GetDefaults`` under ``"element_types"``.
``tools/models_table.py`` turns the file into ``docs/models.md``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def main():
    import nest

    _common.quiet(nest)
    nest.ResetKernel()
    nodes = list(nest.node_models)
    out = {
        "nest_version": nest.__version__,
        "node_models": nodes,
        "synapse_models": list(nest.synapse_models),
        "element_types": {m: nest.GetDefaults(m, "element_type") for m in nodes},
    }
    _common.write_json("model_names.json", out)


if __name__ == "__main__":
    main()
