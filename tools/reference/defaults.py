"""Model defaults and kernel status of real NEST 3.10 -> tests/reference/defaults.json

Protocol:
  * ``nest.ResetKernel()`` then ``nest.GetKernelStatus()`` (the whole dict) is
    stored under key ``"kernel_status"``.
  * For each model in MODELS, right after a fresh ``nest.ResetKernel()``,
    ``nest.GetDefaults(model)`` (the whole dict) is stored under
    ``"defaults"[model]``.
  * The NEST version string is stored under ``"nest_version"``.

Values are made JSON-able with ``_common.to_jsonable``: numpy arrays -> lists,
+inf/-inf/nan -> the strings "inf"/"-inf"/"nan", NodeCollection ->
{"__NodeCollection__": [ids]}, other objects -> {"__repr__": ..., "__type__": ...}.
Note: the kernel status contains machine-dependent entries (build_info,
data_path, local_num_threads, memory_size, time_* ...) that tests should
ignore.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = [
    "iaf_psc_alpha",
    "iaf_psc_delta",
    "iaf_psc_exp",
    "parrot_neuron",
    "multimeter",
    "voltmeter",
    "spike_recorder",
    "dc_generator",
    "poisson_generator",
    "spike_generator",
    "step_current_generator",
    "ac_generator",
    "noise_generator",
    "static_synapse",
]


def main():
    import nest

    _common.quiet(nest)
    nest.ResetKernel()
    out = {"nest_version": nest.__version__, "kernel_status": nest.GetKernelStatus(), "defaults": {}}
    for model in MODELS:
        nest.ResetKernel()
        out["defaults"][model] = nest.GetDefaults(model)
    _common.write_json("defaults.json", out)


if __name__ == "__main__":
    main()
