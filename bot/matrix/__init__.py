"""The Matrix adapter: Bryggan in Element rooms, end-to-end encrypted where the room is.

`runner.start_matrix(app)` starts it: a nio `AsyncClient` syncing in its own thread and
event loop (`bot.MatrixBot`), and a worker thread draining the outbox through
`messenger.MatrixMessenger`. Only this package (and the tests) import nio.
"""
