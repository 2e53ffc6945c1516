"""``nest.ll_api``: the low-level layer of PyNEST.

NEST 3.10's ``ll_api`` holds ``set_communicator``, ``KernelAttribute`` (the descriptor
behind ``nest.resolution`` and the other kernel properties), ``init`` and ``shutdown``.
Older NEST versions ran SLI code through it (``sli_func``, ``sps``, ``sr``, ``spp``);
nestling has no SLI interpreter, but PyNN's NEST backend still makes two such calls,
``sli_func("statusdict/have_libneurosim ::")`` and ``sr("clear")``, which are answered
here (no libneurosim; nothing to clear). Any other SLI code raises NotImplemented.
"""

from __future__ import annotations

from .api.kernel_status import KERNEL_PROPERTIES, GetKernelStatus, SetKernelStatus
from .api.unavailable import set_communicator
from .errors import NESTErrors

initialized = True
_stack: list = []


class KernelAttribute:
    """Descriptor reading and writing one kernel property (``GetKernelStatus``)."""

    def __init__(self, typehint: str, description: str, readonly: bool = False, default=None, localonly=False):
        self._readonly = readonly
        self._default = default
        self._localonly = localonly
        self.__doc__ = f"{description}.\n\n:type: {typehint}"

    def __set_name__(self, owner, name):
        self._name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return GetKernelStatus() if self._name == "kernel_status" else GetKernelStatus(self._name)

    def __set__(self, instance, value):
        if self._readonly or KERNEL_PROPERTIES.get(self._name, (None, None))[1] is None:
            raise AttributeError(f"`{self._name}` is a read only kernel attribute.")
        SetKernelStatus({self._name: value})


def init(argv) -> None:
    """Initialise the kernel (it is ready on import; nothing to do)."""


def shutdown() -> None:
    """Finalise the kernel (nothing to release in one process)."""


def _no_sli(code) -> NESTErrors.NotImplemented:
    return NESTErrors.NotImplemented(
        f"nestling has no SLI interpreter; cannot run {code!r}. Use the PyNEST functions instead."
    )


def sli_func(code: str, *args, **kwargs):
    """Run SLI code: only the query PyNN makes is known (libneurosim is not available)."""
    if code.strip() == "statusdict/have_libneurosim ::":
        return False
    raise _no_sli(code)


def sps(obj) -> None:
    """Push an object on the SLI stack."""
    _stack.append(obj)


def spp():
    """Pop an object from the SLI stack."""
    if not _stack:
        raise NESTErrors.NotImplemented("The SLI stack is empty.")
    return _stack.pop()


def sr(code: str) -> None:
    """Run SLI code: ``clear`` (empty the stack) is the only command known."""
    if code.strip() == "clear":
        _stack.clear()
        return
    raise _no_sli(code)


__all__ = ["KernelAttribute", "init", "initialized", "set_communicator", "shutdown", "sli_func", "spp", "sps", "sr"]
