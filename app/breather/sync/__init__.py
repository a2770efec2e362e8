"""Sync between devices through a shared server (PostgreSQL), offline first.

Each device keeps its own local database and records into it whether the server is there or
not. A round (`sync_round`) brings the two together:

1. deletions this device made (`forget`, retention) go to the server, which applies them to
   every device's records there and keeps them for the others;
2. the server's changes since this device last looked come back: other devices' hours of
   records, and deletions, in the order the server numbered them;
3. this device's hours of records that changed since they were last sent go up, each hour
   replacing that hour on the server whole.

Records are named by what never changes: a device by its uuid, a span by its device and start,
an hour by its device and number. Sending is replacing, so repeating a round, or rerunning one
killed half-way, never counts anything twice or loses it. Each step commits in batches, and
what it marks done it marks in the same transaction, or (for sending) after the server's
commit: a round takes the hours it sends before reading them, so a change made meanwhile
marks its hour again, and hours taken by a round killed before the server kept them are sent
by the next.

Kinds of records (spans, boundary answers, mood check-ins) are listed in
`breather.sync.kinds.RECORD_KINDS`; another kind plugs in there with how to read and replace
an hour of it.

Layer: beside `data` and `desktop`; it imports the store (and what lies beneath it), never
Qt, the runtime, the UI or the CLI, which import it.
"""

from breather.sync.round import SyncFailed, SyncResult, sync_round

__all__ = ["SyncFailed", "SyncResult", "sync_round"]
