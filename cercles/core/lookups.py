"""`unaccent_icontains`: a text filter that ignores case and accents on SQLite and PostgreSQL.

"education" finds "Éducation", "comite" finds "Comité". PostgreSQL folds with `translate(lower())`
over a fixed table of Latin accented letters (no extension needed); SQLite calls a Python
function registered on each connection. The searched text is folded the same way in Python.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Lookup, TextField

SQLITE_FUNCTION = "cercles_fold"


def fold(text):
    """Lower case without accents: "Éducation Œcuménique" → "education œcumenique"."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _translation_table():
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        folded = fold(char)
        if len(char) == len(folded) == 1 and folded != char and char not in accented:
            accented.append(char)
            plain.append(folded)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _translation_table()


class UnaccentIContains(Lookup):
    lookup_name = "unaccent_icontains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = f"%{connection.ops.prep_for_like_query(fold(self.rhs))}%"
        if connection.vendor == "postgresql":
            sql = f"translate(lower({lhs}), %s, %s) LIKE %s"
            return sql, [*lhs_params, ACCENTED, PLAIN, pattern]
        if connection.vendor == "sqlite":
            return f"{SQLITE_FUNCTION}({lhs}) LIKE %s ESCAPE '\\'", [*lhs_params, pattern]
        # Elsewhere: case-insensitive only.
        rhs_sql = connection.operators["icontains"] % "%s"
        return f"{connection.ops.lookup_cast('icontains') % lhs} {rhs_sql}", [
            *lhs_params,
            f"%{connection.ops.prep_for_like_query(self.rhs)}%",
        ]


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)


def install():
    CharField.register_lookup(UnaccentIContains)
    TextField.register_lookup(UnaccentIContains)
    connection_created.connect(_register_sqlite_function, dispatch_uid="cercles_fold")
