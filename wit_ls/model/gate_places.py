"""Where wit-parser reports the version gate of a type definition.

wit-parser gives every anonymous type a gated definition creates (``list<u8>``,
``option<t>``, ``borrow<r>``...) the definition's own gate, and creates them before the
definition itself, innermost first, once per shape and package (a shape met earlier is reused,
gate and all). Moving the package into its ``Resolve``, it checks the gates in that order, so a
version gate the package cannot have (no version, or a later one) is reported at the first
anonymous type new to the definition: at its keyword, or at the resource named by ``borrow``.
A definition that creates none (``own<r>`` and a bare resource name are ``r`` itself; an
alias's outer type is the definition) is reported at its name.

The order of creation is the one :mod:`wit_ls.model.json_first_pass` replays for
``resolve --json``; this runs it, noting which written type made each anonymous type, only for
a package that has such an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wit_ls.model.json_first_pass import PackagePass
from wit_ls.model.json_replay import Simulation
from wit_ls.syntax import Diagnostic

if TYPE_CHECKING:
    from wit_ls.model.items import TypeDef, TypeExpr
    from wit_ls.model.json_arena import Ref
    from wit_ls.model.json_first_pass import _Scope
    from wit_ls.model.resolved import Stability
    from wit_ls.model.resolver import PackageState, Resolver


class _Noting(PackagePass):
    """The first pass, noting the written type behind each anonymous type it creates and the
    first type each definition creates."""

    def __init__(self, sim: Simulation, info: PackageState) -> None:
        super().__init__(sim, info)
        self.made_by: dict[int, TypeExpr] = {}
        self.first_new: dict[int, int] = {}  # resolved type id -> first arena index it made

    def type_ref(self, expr: TypeExpr | None, scope: _Scope, context: Stability) -> Ref:
        ref = super().type_ref(expr, scope, context)
        if (expr is not None and isinstance(ref, int) and ref == len(self.types) - 1
                and ref not in self.made_by and self.types[ref].name is None
                and self.types[ref].kind != "placeholder"):
            self.made_by[ref] = expr
        return ref

    def typedef(self, item: TypeDef, tid: int, owner: tuple[str, int], scope: _Scope) -> None:
        self.first_new.setdefault(tid, len(self.types))
        super().typedef(item, tid, owner, scope)


def _keyword_span(expr: TypeExpr) -> tuple[int, int]:
    if expr.kind == "handle" and expr.name is not None:
        return expr.name.start, expr.name.end
    return expr.start, expr.start + len(expr.kind)


def place_typedef_gates(res: Resolver, info: PackageState,
                        gates: list[tuple[int, int]]) -> None:
    """Move each version gate error of ``gates`` (type id, index in ``res.diagnostics``) of the
    package ``info`` to where wit-parser reports it."""
    sim = Simulation(res)
    noting = _Noting(sim, info)
    sim.first_pass(info, noting)
    for tid, index in gates:
        start = noting.first_new.get(tid)
        end = noting.named.get(tid)
        if start is None or end is None:
            continue
        made = next((noting.made_by[i] for i in range(start, end) if i in noting.made_by), None)
        if made is None:
            continue
        d = res.diagnostics[index]
        lo, hi = _keyword_span(made)
        res.diagnostics[index] = Diagnostic(lo, hi, d.message, d.code, d.severity, d.path,
                                            d.related, d.tags, d.data)
