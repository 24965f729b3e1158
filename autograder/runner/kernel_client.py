"""Talking to the student's kernel through nbclient, within a budget: output capped per notebook,
a cell past its timeout interrupted, every failure of the exchange turned into one of three exceptions.
"""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

MAX_ERROR_TEXT = 2000


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output as a kernel writes it, with a one-line traceback."""
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class Unresponsive(Exception):
    """The kernel neither finished nor stopped when interrupted."""


class Garbled(Exception):
    """The kernel sent a message nbclient could not process (a malformed reply, a forged
    header): the student's doing, never a grader error. Raised by ``run_code`` for any failure of
    nbclient's but a timeout or a dead kernel, so that every exchange with the kernel (cells,
    the probe after a timeout, the grader's calls) ends in a status."""


def _content_size(content: dict) -> int:
    """Characters an output message would add to the notebook (its text, data, metadata, error)."""
    data = content.get("data", {})
    return (len(str(content.get("text", ""))) + sum(len(str(v)) for v in data.values())
            + len(str(content.get("metadata", ""))) + len(str(content.get("evalue", ""))) + len(str(content.get("traceback", ""))))


class CappedClient(NotebookClient):
    """A NotebookClient that drops output past a byte budget for the whole notebook.

    Every way a kernel adds to the notebook is charged: outputs of each kind, errors (past the
    budget, only one short error per cell), and display updates (``update_display_data``, or a
    display with a display_id already shown) once per output they rewrite. Widget state is not
    kept (it would go to the notebook's metadata). ``cap_outputs`` checks the result again.
    """

    store_widget_state = False

    def __init__(self, *args, output_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._budget = output_bytes
        self._display_charged: dict[str, int] = {}   # display_id -> characters its outputs hold now
        self.dropped = 0
        self.timed_out = False  # the cell being run has timed out once (and was interrupted)
        self.timeouts = 0  # cells that timed out so far

    async def _async_handle_timeout(self, timeout, cell=None):  # noqa: ANN001 - nbclient's signature
        """First timeout: interrupt and wait once more. Second: the kernel ignores interrupts."""
        if self.timed_out:
            raise Unresponsive()
        self.timed_out = True
        self.timeouts += 1
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):  # noqa: ANN001 - nbclient's signature
        content = msg.get("content")
        if not _well_formed(content):
            self.dropped += 1   # not a message any kernel sends: the student's own
            return None
        if msg["msg_type"] == "error":
            content["evalue"] = str(content.get("evalue", ""))[:MAX_ERROR_TEXT]
            content["ename"] = str(content.get("ename", ""))[:200]
            content["traceback"] = [str(line)[:MAX_ERROR_TEXT] for line in list(content.get("traceback") or [])[-20:]]
        size = _content_size(content)
        if size > self._budget:
            if msg["msg_type"] != "error" or any(o.get("output_type") == "error" for o in outs):
                self.dropped += size
                return None
            # past the budget, a cell keeps one error (it says what went wrong), short
            content["evalue"], content["traceback"] = content["evalue"][:200], []
            size = _content_size(content)
        self._budget -= size
        if display_id:
            self._display_charged[display_id] = self._display_charged.get(display_id, 0) + size
        return super().output(outs, msg, display_id, cell_index)

    def _update_display_id(self, display_id, msg):  # noqa: ANN001 - nbclient's signature
        """A display update rewrites every output shown with its display_id: charged for each."""
        content = msg.get("content")
        shown = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        if not shown:
            return None
        if not _well_formed(content):
            self.dropped += 1
            return None
        size = _content_size(content) * shown
        growth = size - self._display_charged.get(display_id, 0)
        if growth > self._budget:
            self.dropped += size
            return None
        self._budget -= growth
        self._display_charged[display_id] = size
        return super()._update_display_id(display_id, msg)


def _well_formed(content: object) -> bool:
    """An output message's content as kernels send it: a dict whose data and metadata are dicts."""
    return (isinstance(content, dict) and isinstance(content.get("data", {}), dict)
            and isinstance(content.get("metadata", {}), dict))


def cap_outputs(cells: list[NotebookNode], limit: int) -> int:
    """Keep the outputs of ``cells``, in order, within ``limit`` bytes of JSON; what is past it
    becomes one line per cell. Returns the bytes dropped. (The client's budget counts characters
    as they arrive; this counts the notebook as written, escapes included.)"""
    left, dropped = limit, 0
    for cell in cells:
        kept = []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if size <= left:
                kept.append(output)
                left -= size
            else:
                dropped += size
        if len(kept) < len(cell.get("outputs", [])):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=f"[output past the notebook's limit of {limit:,} bytes dropped]\n"))
        cell.outputs = kept
    return dropped


def run_code(client: CappedClient, scratch: NotebookNode, source: str) -> NotebookNode:
    """Execute ``source``; a cell that timed out gets one TimeoutError output instead of its own."""
    cell = nbformat.v4.new_code_cell(source)
    scratch.cells.append(cell)
    client.timed_out = False
    try:
        ran = client.execute_cell(cell, len(scratch.cells) - 1)
    except (Unresponsive, DeadKernelError):
        raise
    except Exception as exc:
        raise Garbled(type(exc).__name__) from exc
    if client.timed_out:
        ran.outputs = [o for o in ran.outputs if o.output_type != "error"] + [
            error_output("TimeoutError", f"this cell ran longer than {client.timeout} s and was interrupted")
        ]
    return ran


def responsive(client: CappedClient, scratch: NotebookNode) -> bool:
    """After an interrupt: does the kernel run a trivial cell again within a few seconds?"""
    saved = client.timeout
    client.timeout = 5
    try:
        probe = run_code(client, scratch, "1")
        return not any(o.output_type == "error" for o in probe.outputs)
    except (Unresponsive, DeadKernelError, Garbled):
        return False
    finally:
        client.timeout = saved
