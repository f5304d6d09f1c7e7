"""The fault suite: kill -9, a database restart, redelivered and forged Slack requests, and
fuzzing of every grammar, against Bryggan as it runs in production (`bryggan run`)."""
