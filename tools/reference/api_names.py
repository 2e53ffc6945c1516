"""The public names of PyNEST 3.10's ``nest`` namespace -> tests/reference/api_names.json.

Protocol: ``import nest``; every name of ``dir(nest)`` not starting with ``_``, with its
kind (function, class, module, property of the kernel, or other value).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def main():
    import inspect

    import nest

    _common.quiet(nest)
    names = {}
    kernel_props = set(nest.GetKernelStatus().keys())
    for name in sorted(dir(nest)):
        if name.startswith("_"):
            continue
        if name in kernel_props:
            kind = "kernel property"
        else:
            try:
                obj = getattr(nest, name)
            except Exception:  # listed by dir() but not readable (some kernel attributes)
                names[name] = "kernel property"
                continue
            if inspect.ismodule(obj):
                kind = "module"
            elif inspect.isclass(obj):
                kind = "class"
            elif callable(obj):
                kind = "function"
            else:
                kind = "value"
        names[name] = kind
    path = os.path.join(_common.REF_DIR, "api_names.json")
    with open(path, "w") as f:
        json.dump({"nest_version": nest.__version__, "names": names}, f, indent=1, sort_keys=True)
    print("wrote", path, len(names), "names")


if __name__ == "__main__":
    main()
