"""A local approach (Qt-free): plans of beschermende factoren with their coverage and gaps, the
Quickscan lokale aanpak, the directory of organisations and practice examples, feedback to the
editors, and the workbooks these are exported to.

The records themselves live in the user's workspace (`desktop.core.workspace.planning`); this
package combines them with the read-only model (`ModelRepository`)."""
