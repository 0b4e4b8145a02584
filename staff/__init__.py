"""Staff work: the use cases the JSON API, the console and the counter share.

Each module takes plain values (a session or connection, the staff member, what they asked)
and returns plain values or raises a refusal with a code; none knows HTTP. So roles, dong
scope, the audit and access logs, sealing and the small-group rule are the same whichever
door an official comes in by.
"""
