"""Pages of the casework app: home visits, overdue visits, visit frequencies and cases.

Every read starts from a casework selector (``visible_to(user)``: the record's own village or its
person's current one in the user's subtree); anything outside is a 404. Every write goes through
the casework services with the signed-in user as actor. Every answer says ``Cache-Control:
no-store``: these pages hold notes about people.
"""
