"""What a project's pipeline configures: the configuration file, a check run's request (flags
over configuration), waivers and baselines, and rule sets' self-tests.

May import every stage up to `compliance.engine` and `compliance.report`.
"""
