"""Lowered items moved by an edit before them: copies whose every byte offset is shifted.

:mod:`wit_ls.model.lower` keeps the items of the last lowering whose text an edit did not
change; those after the edit have moved, and get a copy whose ranges are shifted by the
number of bytes the edit added (negative when it removed some). The copies equal a fresh
lowering of the moved text (the lowering tests compare them field by field); the last
lowering's objects are never changed, since an analysis made from them may still be in use.
"""

from __future__ import annotations

from wit_ls.model.items import (
    Attribute,
    Declarations,
    Extern,
    Func,
    Ident,
    Include,
    Interface,
    InterfaceMember,
    Member,
    NestedPackage,
    PackageName,
    Param,
    TopUse,
    TypeDef,
    TypeExpr,
    Use,
    UseName,
    UsePath,
    World,
    WorldMember,
)

Top = Interface | World | TopUse | NestedPackage


def _ident(ident: Ident, by: int) -> Ident:
    return Ident(ident.text, ident.start + by, ident.end + by)


def _maybe_ident(ident: Ident | None, by: int) -> Ident | None:
    return None if ident is None else Ident(ident.text, ident.start + by, ident.end + by)


def _attributes(attributes: list[Attribute], by: int) -> list[Attribute]:
    return [Attribute(a.kind, a.value, a.start + by, a.end + by, a.value_start + by,
                      a.value_end + by) for a in attributes]


def _type(expr: TypeExpr | None, by: int) -> TypeExpr | None:
    if expr is None:
        return None
    return TypeExpr(expr.kind, expr.start + by, expr.end + by, _maybe_ident(expr.name, by),
                    [_type(arg, by) for arg in expr.args], expr.size, expr.handle)


def _func(func: Func, by: int, attributes: list[Attribute] | None = None) -> Func:
    keyword = func.keyword
    if func.kind == "constructor":  # (the keyword's range is recorded for constructors only)
        keyword = (keyword[0] + by, keyword[1] + by)
    return Func(func.kind, _maybe_ident(func.name, by),
                [Param(_ident(p.name, by), _type(p.type, by), p.start + by, p.end + by)
                 for p in func.params],
                _type(func.result, by), func.start + by, func.end + by, func.is_async,
                func.accessor, func.docs,
                _attributes(func.attributes, by) if attributes is None else attributes,
                keyword, func.has_result)


def _typedef(item: TypeDef, by: int) -> TypeDef:
    return TypeDef(item.kind, _ident(item.name, by), item.start + by, item.end + by,
                   _type(item.alias, by),
                   [Member(_ident(m.name, by), _type(m.type, by), m.start + by, m.end + by,
                           m.docs) for m in item.members],
                   [_func(f, by) for f in item.methods], item.has_body, item.docs,
                   _attributes(item.attributes, by))


def _path(path: UsePath, by: int) -> UsePath:
    version_range = path.version_range
    if path.version is not None:  # (recorded with the version only)
        version_range = (version_range[0] + by, version_range[1] + by)
    return UsePath(_ident(path.name, by), path.start + by, path.end + by,
                   _maybe_ident(path.namespace, by), _maybe_ident(path.package, by),
                   path.version, version_range)


def _use(use: Use, by: int) -> Use:
    return Use(_path(use.path, by),
               [UseName(_ident(n.name, by), _maybe_ident(n.alias, by)) for n in use.names],
               use.start + by, use.end + by, use.docs, _attributes(use.attributes, by))


def _interface(iface: Interface, by: int) -> Interface:
    return Interface(_maybe_ident(iface.name, by),
                     [interface_member(m, by) for m in iface.members],
                     iface.start + by, iface.end + by, iface.docs,
                     _attributes(iface.attributes, by))


def _extern(item: Extern, by: int) -> Extern:
    attributes = _attributes(item.attributes, by)
    func = item.func
    return Extern(item.direction, _maybe_ident(item.name, by), item.start + by, item.end + by,
                  None if func is None else _func(
                      func, by, attributes if func.attributes is item.attributes else None),
                  None if item.interface is None else _interface(item.interface, by),
                  None if item.path is None else _path(item.path, by), item.docs, attributes)


def _package_name(name: PackageName, by: int) -> PackageName:
    version_range = name.version_range
    if name.version is not None:
        version_range = (version_range[0] + by, version_range[1] + by)
    return PackageName(_ident(name.namespace, by), _ident(name.name, by), name.start + by,
                       name.end + by, name.version, version_range)


def interface_member(item: InterfaceMember, by: int) -> InterfaceMember:
    """A member of an interface moved by ``by`` bytes."""
    if isinstance(item, TypeDef):
        return _typedef(item, by)
    if isinstance(item, Func):
        return _func(item, by)
    return _use(item, by)


def world_member(item: WorldMember, by: int) -> WorldMember:
    """A member of a world moved by ``by`` bytes."""
    if isinstance(item, TypeDef):
        return _typedef(item, by)
    if isinstance(item, Use):
        return _use(item, by)
    if isinstance(item, Extern):
        return _extern(item, by)
    return Include(_path(item.path, by),
                   [(_ident(old, by), _ident(new, by)) for old, new in item.renames],
                   item.start + by, item.end + by, item.docs, _attributes(item.attributes, by))


def method(func: Func, by: int) -> Func:
    """A resource's method or constructor moved by ``by`` bytes."""
    return _func(func, by)


def top(item: Top, by: int) -> Top:
    """A top-level declaration moved by ``by`` bytes."""
    if isinstance(item, Interface):
        return _interface(item, by)
    if isinstance(item, World):
        return World(_ident(item.name, by), [world_member(m, by) for m in item.members],
                     item.start + by, item.end + by, item.docs,
                     _attributes(item.attributes, by))
    if isinstance(item, TopUse):
        return TopUse(_path(item.path, by), _maybe_ident(item.alias, by), item.start + by,
                      item.end + by, item.docs, _attributes(item.attributes, by),
                      (item.keyword[0] + by, item.keyword[1] + by))
    order: list[Interface | World | TopUse] = []
    for decl in item.decls.order:
        moved = top(decl, by)
        assert not isinstance(moved, NestedPackage)  # (packages do not nest further)
        order.append(moved)
    decls = Declarations([d for d in order if isinstance(d, Interface)],
                         [d for d in order if isinstance(d, World)],
                         [d for d in order if isinstance(d, TopUse)], order)
    return NestedPackage(_package_name(item.name, by), decls, item.start + by, item.end + by,
                         item.docs)
