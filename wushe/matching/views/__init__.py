"""Pages of the three lists (三清单) and matching (供需对接), for station staff.

Every read starts from the user's subtree (``matching.selectors``); a record outside it is a
404. Every write goes through the services with the signed-in user as actor; auditors read
and never write (403, recorded). Pages that name residents are not cached (``never_cache``).
"""
