"""`__in` on integer fields ignores values beyond the column's range.

Django's `exact`, `gt`, `lt`… already treat such values as matching nothing; `in` sends them to
the database, which fails (SQLite: OverflowError; PostgreSQL: out of range). A form's multiple
choice posted with an id beyond 64 bits then answered 500 instead of "not one of the choices".
Registered once for every integer field (and so every primary key) in `CoreConfig.ready`.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
