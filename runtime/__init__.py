"""The runtime every channel and the console share: a citizen's event becomes a stored turn.

It sits between the adapters (`bot/`, `api/`) and the pure side (`conversations/`,
`storage/`): it takes plain values (database engine, conversation engine, sealer, rules,
clock), never the service's settings; building it from settings is `toktok/`'s job.
"""
