"""Compare two resolved versions of a package and list what breaks whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wit_ls.breaking.catalogue import RULES, BreakingRule
from wit_ls.breaking.resolved import Json, Resolved, strip_version, version_of
from wit_ls.syntax.semver import Version, version_or_none

Perspective = Literal["importer", "exporter", "both"]
Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Change:
    """One finding. ``subject`` names the item in the new version (or, for removals, in the
    old one): (package, interface or world, item, member), shortest first."""

    rule: BreakingRule
    level: Level
    message: str
    subject: tuple[str, ...]
    removed: bool = False


@dataclass(frozen=True)
class CompareOptions:
    perspective: Perspective = "both"
    # Keep link and source breaks as errors even when the version track changed.
    strict: bool = False
    # Changes to `@unstable` items are not contracts yet.
    ignore_unstable: bool = True


def track(version: str) -> str:
    """The version track of ``version`` (:meth:`Version.track`: ``0.2.6 -> 0.2``; pre-release
    tags are left aside here, :func:`compatible_update` says how they count), or the text
    itself when it is not a version."""
    v = version_or_none(version)
    return v.track() if v is not None else version


def compatible_update(old: str, new: str) -> bool:
    """Whether cargo's default (caret) requirement on ``old`` accepts ``new``: the versions
    that consumers of ``old`` may be moved to without asking, so a link break between the two
    needs a new track. Pre-releases follow cargo: ``^0.3.0-rc-1`` accepts ``0.3.0-rc-2`` and
    ``0.3.0``, but a release never accepts a pre-release (``^0.3.0`` rejects ``0.3.1-rc-1``).
    A version that did not increase is compared by track alone (B706 reports it)."""
    o, n = version_or_none(old), version_or_none(new)
    if o is None or n is None:
        return track(old) == track(new)
    if track(old) != track(new):
        return False
    if n <= o:
        return True
    if n.pre:
        return bool(o.pre) and (o.major, o.minor, o.patch) == (n.major, n.minor, n.patch)
    return True


def _stability(item: Json) -> Json:
    stab = item.get("stability")
    return stab if isinstance(stab, dict) else {}


def _since(item: Json) -> str | None:
    stable = _stability(item).get("stable")
    return str(stable.get("since")) if isinstance(stable, dict) and stable.get("since") else None


def _deprecated(item: Json) -> bool:
    for gate in _stability(item).values():
        if isinstance(gate, dict) and gate.get("deprecated"):
            return True
    return False


def _unstable(item: Json) -> bool:
    return "unstable" in _stability(item)


def _type_changed(old: Resolved, old_ref: object, new: Resolved, new_ref: object) -> bool:
    """A signature's type changed: not the same named type, and not the same structure (an
    inlined alias or a type moved to another interface still links)."""
    o = old_ref if isinstance(old_ref, (str, int)) else None
    n = new_ref if isinstance(new_ref, (str, int)) else None
    if (o is None) != (n is None):
        return True
    return old.shallow(o) != new.shallow(n) and old.structure(o) != new.structure(n)


def _function_refs(func: Json) -> list[object]:
    refs: list[object] = [p.get("type") for p in func.get("params", [])]
    refs.append(func.get("result"))
    kind = func.get("kind")
    if isinstance(kind, dict):
        refs.extend(v for v in kind.values() if isinstance(v, int))
    return refs


def _used_types(view: Resolved, ifaces: list[Json], funcs: list[Json] | None = None) -> set[int]:
    """The types that the functions of ``ifaces`` (and ``funcs``) mention, directly, inside
    other types or through ``use``, and every resource (a component that imports an interface
    imports its resources' destructors even when no function mentions them)."""
    refs: list[object] = []
    for iface in ifaces:
        for func in dict(iface.get("functions", {})).values():
            refs.extend(_function_refs(func))
        for ref in dict(iface.get("types", {})).values():
            typedef = view.typedef(ref)
            if typedef is not None and typedef.get("kind") == "resource":
                refs.append(ref)
    for func in funcs or []:
        refs.extend(_function_refs(func))
    return view.referenced_types([r for r in refs if isinstance(r, (str, int))])


def _package_uses_since(view: Resolved, package: Json | None) -> bool:
    """Whether any item of a package carries a `@since` gate: the policy findings about gates
    only make sense in packages that follow that practice."""
    if package is None:
        return False
    items: list[Json] = []
    for index in dict(package.get("interfaces", {})).values():
        if 0 <= index < len(view.interfaces):
            iface = view.interfaces[index]
            items.append(iface)
            items.extend(dict(iface.get("functions", {})).values())
            items.extend(t for t in (view.typedef(r) for r in iface.get("types", {}).values()) if t)
    for index in dict(package.get("worlds", {})).values():
        if 0 <= index < len(view.worlds):
            world = view.worlds[index]
            items.append(world)
            for key in ("imports", "exports"):
                items.extend(dict(world.get(key, {})).values())
    return any(_since(item) for item in items)


@dataclass
class _Comparison:
    old: Resolved
    new: Resolved
    options: CompareOptions
    same_track: bool
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)
    unused_old: set[int] = field(default_factory=set)
    unused_new: set[int] = field(default_factory=set)
    current_unused: bool = False
    # Types mentioned by the functions in scope (the whole resolve, or one world's imports).
    used_old: set[int] = field(default_factory=set)
    used_new: set[int] = field(default_factory=set)
    # The package follows the `@since` practice (B703/B704 only make sense then).
    uses_since: bool = True

    # ---- reporting ---------------------------------------------------------------------

    def report(
        self,
        rule_name: str,
        message: str,
        subject: tuple[str, ...],
        removed: bool = False,
        unused: bool = False,
    ) -> None:
        rule = RULES[rule_name]
        level = self._level(rule)
        if unused and level == "error" and self.options.perspective == "importer":
            # A component imports only the types its functions use: a change to a type no
            # function mentions breaks no importer (wasm-tools semver-check agrees).
            level = "info"
        if level is not None:
            self.changes.append(Change(rule, level, message, subject, removed))

    def _level(self, rule: BreakingRule) -> Level | None:
        perspective = self.options.perspective
        if rule.cls == "INFO":
            return "info"
        if perspective != "both" and rule.affects not in ("both", perspective):
            return None
        if rule.cls == "POLICY":
            return "warning"
        if not self.same_track and not self.options.strict:
            return "info"
        if perspective == "both" and rule.affects == "exporter":
            # Additions break only implementers; callers are fine.
            return "warning"
        return "error" if rule.cls == "LINK" else "warning"

    # ---- gates ---------------------------------------------------------------------------

    def gates(self, old: Json, new: Json, what: str, subject: tuple[str, ...]) -> None:
        old_since, new_since = _since(old), _since(new)
        if old_since and new_since and old_since != new_since:
            self.report(
                "since-changed",
                f"{what}: `@since` changed from {old_since} to {new_since}",
                subject,
            )
        if old_since and (not new_since) and (_unstable(new) or not _stability(new)):
            self.report(
                "stable-to-unstable",
                f"{what} was stable since {old_since} and no longer is",
                subject,
            )
        if not _deprecated(old) and _deprecated(new):
            self.report("deprecation-added", f"{what} is now deprecated", subject)

    def added(self, item: Json, what: str, subject: tuple[str, ...]) -> None:
        """Policy checks for a newly added item."""
        new_v = version_or_none(self.new_version)
        old_v = version_or_none(self.old_version)
        if new_v is None or _unstable(item) or not self.uses_since:
            return
        since = version_or_none(_since(item) or "")
        if since is None or (old_v is not None and since <= old_v):
            gate = f"`@since(version = {self.new_version})`"
            self.report(
                "added-item-not-gated", f"{what} is new in this version but has no {gate}", subject
            )

    def removed_item(self, item: Json, what: str, subject: tuple[str, ...]) -> None:
        if self.uses_since and not _deprecated(item):
            self.report(
                "removed-without-deprecation",
                f"{what} was removed without being `@deprecated` first",
                subject,
                True,
            )

    def skip(self, old: Json | None, new: Json | None) -> bool:
        if not self.options.ignore_unstable:
            return False
        return any(item is not None and _unstable(item) for item in (old, new))

    # ---- functions -----------------------------------------------------------------------

    def function(self, old: Json, new: Json, what: str, subject: tuple[str, ...]) -> None:
        o, n = self.old, self.new
        old_kind, new_kind = old.get("kind"), new.get("kind")
        old_async = (
            (isinstance(old_kind, str)
            and old_kind.startswith("async"))
            or (isinstance(old_kind, dict) and any(k.startswith("async") for k in old_kind))
        )
        new_async = (
            (isinstance(new_kind, str)
            and new_kind.startswith("async"))
            or (isinstance(new_kind, dict) and any(k.startswith("async") for k in new_kind))
        )
        if old_async != new_async:
            state = "async" if new_async else "no longer async"
            self.report("function-async-changed", f"{what} is now {state}", subject)
        constructor = isinstance(new_kind, dict) and "constructor" in new_kind
        old_params: list[Json] = list(old.get("params", []))
        new_params: list[Json] = list(new.get("params", []))
        if len(old_params) != len(new_params):
            names = ", ".join(p["name"] for p in new_params)
            rule = "constructor-changed" if constructor else "function-param-count-changed"
            self.report(
                rule,
                f"{what} now takes {len(new_params)} parameter(s) ({names}) "
                f"instead of {len(old_params)}",
                subject,
            )
        else:
            for op, np_ in zip(old_params, new_params, strict=True):
                if op["name"] != np_["name"]:
                    rule = "constructor-changed" if constructor else "function-param-renamed"
                    self.report(
                        rule,
                        f"{what}: parameter `{op['name']}` was renamed to `{np_['name']}`",
                        subject,
                    )
                elif _type_changed(o, op.get("type"), n, np_.get("type")):
                    rule = "constructor-changed" if constructor else "function-param-type-changed"
                    self.report(
                        rule,
                        f"{what}: parameter `{op['name']}` changed type from "
                        f"`{o.show(op.get('type'))}` to `{n.show(np_.get('type'))}`",
                        subject,
                    )
        old_result, new_result = old.get("result"), new.get("result")
        if _type_changed(o, old_result, n, new_result):
            rule = "constructor-changed" if constructor else "function-result-changed"
            before = o.show(old_result) if old_result is not None else "nothing"
            after = n.show(new_result) if new_result is not None else "nothing"
            self.report(rule, f"{what} now returns `{after}` instead of `{before}`", subject)

    # ---- type definitions ----------------------------------------------------------------

    def typedef(self, old_ref: int, new_ref: int, what: str, subject: tuple[str, ...]) -> None:
        o, n = self.old, self.new
        self.current_unused = old_ref in self.unused_old and new_ref in self.unused_new
        old, new = o.typedef(old_ref), n.typedef(new_ref)
        if old is None or new is None:
            return
        old_tag, new_tag = Resolved.kind_tag(old), Resolved.kind_tag(new)
        old_target = old["kind"]["type"] if old_tag == "type" else None
        new_target = new["kind"]["type"] if new_tag == "type" else None
        if (
            old_tag == new_tag == "type"
            and o.shallow(old_target) == n.shallow(new_target)
        ):
            # The same alias (often a `use`) of the same type: a change inside that type is
            # reported once, where the type is defined.
            return
        if o.structure(old_ref) == n.structure(new_ref):
            self.moved(old, new, old_target, new_target, what, subject)
            return
        if old_tag != new_tag or old_tag not in ("record", "variant", "enum", "flags"):
            self.report(
                "type-kind-changed",
                f"{what} changed from `{self._describe(o, old_ref)}` "
                f"to `{self._describe(n, new_ref)}`",
                subject,
                unused=self.current_unused,
            )
            return
        body_old, body_new = old["kind"][old_tag], new["kind"][new_tag]
        if old_tag == "record":
            self.members(
                body_old["fields"],
                body_new["fields"],
                what,
                subject,
                "record-field",
                "field",
                typed=True,
            )
        elif old_tag == "variant":
            self.members(
                body_old["cases"],
                body_new["cases"],
                what,
                subject,
                "variant-case",
                "case",
                typed=True,
            )
        elif old_tag == "enum":
            self.members(body_old["cases"], body_new["cases"], what, subject, "enum-case", "case")
        else:
            self.members(
                body_old["flags"], body_new["flags"], what, subject, "flags-member", "flag"
            )

    def moved(
        self,
        old: Json,  # noqa: ARG002 - the same signature as the other comparisons
        new: Json,
        old_target: object,
        new_target: object,
        what: str,
        subject: tuple[str, ...],
    ) -> None:
        """Same structure, another definition: a type moved to another interface (now brought
        in with `use`), moved back, or became an alias of a type in the same interface."""
        o, n = self.old, self.new
        old_def = o.typedef(old_target) if isinstance(old_target, int) else None
        new_def = n.typedef(new_target) if isinstance(new_target, int) else None
        old_named = old_def is not None and bool(old_def.get("name"))
        new_named = new_def is not None and bool(new_def.get("name"))
        if new_def is not None and new_named:
            home, here = n.owner_name(new_def), n.owner_name(new)
            if home == here:
                message = (
                    f"{what} is now an alias of `{new_def['name']}`, defined in the same "
                    "interface"
                )
            else:
                message = f"{what} is now defined in `{home}` and brought in with `use`"
        elif old_def is not None and old_named:
            home = o.owner_name(old_def)
            message = f"{what} is now defined here instead of being brought in from `{home}`"
        else:
            return
        self.report("type-moved", message, subject, unused=self.current_unused)

    @staticmethod
    def _describe(view: Resolved, ref: int) -> str:
        typedef = view.typedef(ref)
        if typedef is None:
            return "?"
        tag = Resolved.kind_tag(typedef)
        if tag == "type":
            return f"type alias of {view.show(typedef['kind']['type'])}"
        return tag

    def members(
        self,
        old: list[Json],
        new: list[Json],
        what: str,
        subject: tuple[str, ...],
        prefix: str,
        noun: str,
        typed: bool = False,
    ) -> None:
        old_names = [m["name"] for m in old]
        new_names = [m["name"] for m in new]
        added = [m for m in new_names if m not in old_names]
        gone = [m for m in old_names if m not in new_names]

        def rule(kind: str) -> str:
            if prefix == "flags-member":
                return "flags-member-changed"
            if prefix == "record-field":
                return f"record-field-{kind}"
            if kind == "added":
                return f"{prefix}-added"
            return f"{prefix}-changed"

        if len(added) == 1 and len(gone) == 1 and len(old) == len(new):
            self.report(
                rule("renamed"),
                f"{what}: {noun} `{gone[0]}` was renamed to `{added[0]}`",
                subject,
                unused=self.current_unused,
            )
            return
        for name in added:
            self.report(
                rule("added"),
                f"{what}: {noun} `{name}` was added",
                (*subject, name),
                unused=self.current_unused,
            )
        for name in gone:
            self.report(
                rule("removed"),
                f"{what}: {noun} `{name}` was removed",
                subject,
                True,
                unused=self.current_unused,
            )
        common_old = [m for m in old_names if m in new_names]
        common_new = [m for m in new_names if m in old_names]
        if common_old != common_new:
            self.report(
                rule("reordered"),
                f"{what}: {noun}s were reordered "
                f"({', '.join(common_old)} -> {', '.join(common_new)})",
                subject,
                unused=self.current_unused,
            )
        if typed:
            o, n = self.old, self.new
            new_by_name = {m["name"]: m for m in new}
            for member in old:
                other = new_by_name.get(member["name"])
                if other is None:
                    continue
                if _type_changed(o, member.get("type"), n, other.get("type")):
                    name = member["name"]
                    kind = (
                        "record-field-type-changed"
                        if prefix == "record-field"
                        else ("variant-case-payload-changed")
                    )
                    self.report(
                        kind,
                        f"{what}: {noun} `{name}` changed type from "
                        f"`{o.show(member.get('type'))}` to "
                        f"`{n.show(other.get('type'))}`",
                        (*subject, name),
                        unused=self.current_unused,
                    )

    # ---- interfaces ------------------------------------------------------------------------

    def interface(self, old_index: int, new_index: int, subject: tuple[str, ...]) -> None:
        o, n = self.old, self.new
        old, new = o.interfaces[old_index], n.interfaces[new_index]
        label = subject[-1]
        old_types: dict[str, int] = dict(old.get("types", {}))
        new_types: dict[str, int] = dict(new.get("types", {}))
        self.unused_old = set(old_types.values()) - self.used_old
        self.unused_new = set(new_types.values()) - self.used_new
        for name, ref in old_types.items():
            typedef = o.typedef(ref) or {}
            what = f"type `{label}.{name}`"
            if self.skip(typedef, n.typedef(new_types.get(name, -1))):
                continue
            if name not in new_types:
                is_resource = typedef.get("kind") == "resource"
                self.report(
                    "resource-removed" if is_resource else "type-removed",
                    f"{what} was removed",
                    (*subject, name),
                    True,
                    unused=ref in self.unused_old,
                )
                self.removed_item(typedef, what, (*subject, name))
            else:
                self.typedef(ref, new_types[name], what, (*subject, name))
                self.gates(typedef, n.typedef(new_types[name]) or {}, what, (*subject, name))
        for name, ref in new_types.items():
            if name not in old_types:
                typedef = n.typedef(ref) or {}
                if self.skip(None, typedef):
                    continue
                what = f"type `{label}.{name}`"
                self.report(
                    "type-added",
                    f"{what} was added",
                    (*subject, name),
                    unused=ref in self.unused_new,
                )
                self.added(typedef, what, (*subject, name))
        old_funcs: dict[str, Json] = dict(old.get("functions", {}))
        new_funcs: dict[str, Json] = dict(new.get("functions", {}))
        self.functions(old_funcs, new_funcs, label, subject)
        self.gates(old, new, f"interface `{label}`", subject)

    def functions(
        self,
        old_funcs: dict[str, Json],
        new_funcs: dict[str, Json],
        label: str,
        subject: tuple[str, ...],
    ) -> None:
        def plain(name: str) -> str:
            # `[method]r.m` and `[static]r.m` are the same member in another role.
            for tag in ("[method]", "[static]"):
                if name.startswith(tag):
                    return name[len(tag) :]
            return name

        new_by_plain = {plain(k): k for k in new_funcs}
        old_by_plain = {plain(k): k for k in old_funcs}
        for name, func in old_funcs.items():
            what = f"function `{label}.{name}`"
            other = new_funcs.get(name)
            if self.skip(func, other):
                continue
            member = name.startswith("[")
            if other is None:
                moved = new_by_plain.get(plain(name))
                if moved is not None and moved != name:
                    self.report(
                        "resource-method-kind-changed",
                        f"`{label}.{name}` is now `{moved}`",
                        (*subject, moved),
                    )
                    continue
                self.report(
                    "resource-method-removed" if member else "function-removed",
                    f"{what} was removed",
                    (*subject, name),
                    True,
                )
                self.removed_item(func, what, (*subject, name))
            else:
                self.function(func, other, what, (*subject, name))
                self.gates(func, other, what, (*subject, name))
        for name, func in new_funcs.items():
            if name in old_funcs or self.skip(None, func):
                continue
            moved = old_by_plain.get(plain(name))
            if moved is not None and moved != name:
                continue
            what = f"function `{label}.{name}`"
            self.report(
                "resource-method-added" if name.startswith("[") else "function-added",
                f"{what} was added",
                (*subject, name),
            )
            self.added(func, what, (*subject, name))

    # ---- worlds ----------------------------------------------------------------------------

    def world(self, old_index: int, new_index: int, subject: tuple[str, ...]) -> None:
        o, n = self.old, self.new
        old, new = o.worlds[old_index], n.worlds[new_index]
        label = subject[-1]

        def keyed(view: Resolved, items: dict[str, Json]) -> dict[str, Json]:
            return {view.world_key(k, v): v for k, v in items.items()}

        old_imports, new_imports = (
            keyed(o, old.get("imports", {})),
            keyed(n, new.get("imports", {})),
        )
        old_exports, new_exports = (
            keyed(o, old.get("exports", {})),
            keyed(n, new.get("exports", {})),
        )
        for key, item in old_imports.items():
            if self.skip(item, new_imports.get(key)):
                continue
            if key in new_imports:
                self.world_item(
                    item, new_imports[key], f"import `{key}` of world `{label}`", (*subject, key)
                )
            elif key in new_exports:
                self.report(
                    "world-item-direction-changed",
                    f"world `{label}` now exports `{key}` instead of importing it",
                    (*subject, key),
                )
            else:
                self.report(
                    "world-import-removed",
                    f"world `{label}` no longer imports `{key}`",
                    subject,
                    True,
                )
        for key, item in new_imports.items():
            if key not in old_imports and key not in old_exports and not self.skip(None, item):
                self.report(
                    "world-import-added", f"world `{label}` now imports `{key}`", (*subject, key)
                )
        for key, item in old_exports.items():
            if self.skip(item, new_exports.get(key)):
                continue
            if key in new_exports:
                self.world_item(
                    item, new_exports[key], f"export `{key}` of world `{label}`", (*subject, key)
                )
            elif key in new_imports:
                self.report(
                    "world-item-direction-changed",
                    f"world `{label}` now imports `{key}` instead of exporting it",
                    (*subject, key),
                )
            else:
                self.report(
                    "world-export-removed",
                    f"world `{label}` no longer exports `{key}`",
                    subject,
                    True,
                )
        for key, item in new_exports.items():
            if key not in old_exports and key not in old_imports and not self.skip(None, item):
                self.report(
                    "world-export-added",
                    f"world `{label}` now requires the export `{key}`",
                    (*subject, key),
                )
        self.gates(old, new, f"world `{label}`", subject)

    def world_item(self, old: Json, new: Json, what: str, subject: tuple[str, ...]) -> None:
        o, n = self.old, self.new
        if "interface" in old and "interface" in new:
            oi, ni = int(old["interface"]["id"]), int(new["interface"]["id"])
            old_name, new_name = o.interface_name(oi), n.interface_name(ni)
            if old_name.startswith("<inline") and new_name.startswith("<inline"):
                self.interface(oi, ni, subject)
            elif old_name != new_name:
                self.report(
                    "world-item-target-changed",
                    f"{what} now refers to `{new_name}` instead of `{old_name}`",
                    subject,
                )
        elif "function" in old and "function" in new:
            self.function(old["function"], new["function"], what, subject)
        elif "type" in old and "type" in new:
            if _type_changed(o, old["type"], n, new["type"]):
                self.report(
                    "world-item-target-changed",
                    f"{what} changed type from `{o.show(old['type'])}` to `{n.show(new['type'])}`",
                    subject,
                )
        else:
            self.report("world-item-target-changed", f"{what} changed kind", subject)


def _pair_packages(old: Resolved, new: Resolved, package: str | None) -> list[tuple[Json, Json]]:
    """The packages to compare, in the new version's order: ``package`` alone, or every package
    (matched by name) present in both versions.

    A resolve can hold several versions of one package (deps/ often vendors two releases of a
    WASI package). Each new package is compared with the old package of the same full name
    (version included) when there is one; otherwise with an old version of that name that no
    new package has, else with any old version of that name: the closest (the greatest not
    above it, else the least above it)."""
    wanted = strip_version(package) if package is not None else None
    old_by_full = {str(p.get("name", "")): p for p in old.packages}
    new_full = {str(p.get("name", "")) for p in new.packages}
    pairs: list[tuple[Json, Json]] = []
    taken: set[int] = set()
    for new_pkg in new.packages:
        full = str(new_pkg.get("name", ""))
        name = strip_version(full)
        if wanted is not None and name != wanted:
            continue
        old_pkg = old_by_full.get(full)
        if old_pkg is None:
            same_name = [p for p in old.packages if strip_version(str(p.get("name", ""))) == name]
            left = [p for p in same_name
                    if str(p.get("name", "")) not in new_full and id(p) not in taken]
            old_pkg = _closest_version(left or same_name, version_of(full))
        if old_pkg is not None:
            taken.add(id(old_pkg))
            pairs.append((old_pkg, new_pkg))
    return pairs


def _closest_version(candidates: list[Json], version: str) -> Json | None:
    """The candidate whose version is the greatest not above ``version``, else the least above
    it (a missing or unparsable version orders first); None when there is no candidate."""
    if not candidates:
        return None
    unversioned: list[Json] = []
    versioned: list[tuple[Version, Json]] = []
    for pkg in candidates:
        v = version_or_none(version_of(str(pkg.get("name", ""))))
        if v is None:
            unversioned.append(pkg)
        else:
            versioned.append((v, pkg))
    versioned.sort(key=lambda vp: vp[0].sort_key())
    ordered = unversioned + [pkg for _, pkg in versioned]
    target = version_or_none(version)
    if target is None:
        return ordered[0]
    below = unversioned + [pkg for v, pkg in versioned if v <= target]
    return below[-1] if below else ordered[0]


def _comparison(
    old: Resolved, new: Resolved, old_pkg: Json, new_pkg: Json, opts: CompareOptions
) -> _Comparison:
    old_version = version_of(str(old_pkg["name"]))
    new_version = version_of(str(new_pkg["name"]))
    same = compatible_update(old_version, new_version)
    cmp = _Comparison(old, new, opts, same, old_version, new_version)
    cmp.uses_since = _package_uses_since(old, old_pkg) or _package_uses_since(new, new_pkg)
    return cmp


def _all_functions(view: Resolved) -> list[Json]:
    funcs: list[Json] = []
    for world in view.worlds:
        for key in ("imports", "exports"):
            for item in dict(world.get(key, {})).values():
                if isinstance(item, dict) and isinstance(item.get("function"), dict):
                    funcs.append(item["function"])
    return funcs


def compare(
    old_doc: Json | Resolved,
    new_doc: Json | Resolved,
    package: str | None = None,
    options: CompareOptions | None = None,
) -> list[Change]:
    """What changed between two resolves in ``package`` (matched by name, versions ignored),
    or by default in every package present in both."""
    opts = options or CompareOptions()
    old = old_doc if isinstance(old_doc, Resolved) else Resolved(old_doc)
    new = new_doc if isinstance(new_doc, Resolved) else Resolved(new_doc)
    if old.used_everywhere is None:
        old.used_everywhere = _used_types(old, old.interfaces, _all_functions(old))
    if new.used_everywhere is None:
        new.used_everywhere = _used_types(new, new.interfaces, _all_functions(new))
    used_old, used_new = old.used_everywhere, new.used_everywhere
    changes: list[Change] = []
    for old_pkg, new_pkg in _pair_packages(old, new, package):
        cmp = _comparison(old, new, old_pkg, new_pkg, opts)
        cmp.used_old, cmp.used_new = used_old, used_new
        _compare_package(cmp, old_pkg, new_pkg)
        changes.extend(cmp.changes)
    return changes


def _compare_package(cmp: _Comparison, old_pkg: Json, new_pkg: Json) -> None:
    old, new = cmp.old, cmp.new
    name = strip_version(str(new_pkg["name"]))
    old_ifaces: dict[str, int] = dict(old_pkg.get("interfaces", {}))
    new_ifaces: dict[str, int] = dict(new_pkg.get("interfaces", {}))
    for iface, index in old_ifaces.items():
        item = old.interfaces[index]
        subject = (name, iface)
        if iface not in new_ifaces:
            if cmp.skip(item, None):
                continue
            cmp.report(
                "interface-removed", f"interface `{iface}` was removed", (name, iface), True
            )
            cmp.removed_item(item, f"interface `{iface}`", (name,))
        elif not cmp.skip(item, new.interfaces[new_ifaces[iface]]):
            cmp.interface(index, new_ifaces[iface], subject)
    for iface, index in new_ifaces.items():
        if iface not in old_ifaces and not cmp.skip(None, new.interfaces[index]):
            cmp.added(new.interfaces[index], f"interface `{iface}`", (name, iface))
    old_worlds: dict[str, int] = dict(old_pkg.get("worlds", {}))
    new_worlds: dict[str, int] = dict(new_pkg.get("worlds", {}))
    for world, index in old_worlds.items():
        item = old.worlds[index]
        if world not in new_worlds:
            if cmp.skip(item, None):
                continue
            cmp.report("world-removed", f"world `{world}` was removed", (name, world), True)
            cmp.removed_item(item, f"world `{world}`", (name,))
        elif not cmp.skip(item, new.worlds[new_worlds[world]]):
            cmp.world(index, new_worlds[world], (name, world))
    for world, index in new_worlds.items():
        if world not in old_worlds and not cmp.skip(None, new.worlds[index]):
            cmp.added(new.worlds[index], f"world `{world}`", (name, world))
    _summaries(cmp, name)


@dataclass(frozen=True)
class WorldVerdict:
    """Whether components built against the old version of a world still link against the new
    one (what ``wasm-tools component semver-check`` decides), and the changes that say no."""

    package: str
    world: str
    breaks: tuple[Change, ...]

    @property
    def compatible(self) -> bool:
        return not self.breaks


def world_verdicts(
    old_doc: Json,
    new_doc: Json,
    package: str | None = None,
    options: CompareOptions | None = None,
) -> list[WorldVerdict]:
    """For each world present in both versions: the link breaks seen by a component built for
    the old world, with the world's imports compared as an importer sees them and its exports
    as an exporter does (wherever the interfaces live, dependencies included). Version tracks
    do not soften anything here: the question is only whether it still links."""
    base = options or CompareOptions()
    old, new = Resolved(old_doc), Resolved(new_doc)
    verdicts: list[WorldVerdict] = []
    for old_pkg, new_pkg in _pair_packages(old, new, package):
        name = strip_version(str(new_pkg["name"]))
        old_worlds: dict[str, int] = dict(old_pkg.get("worlds", {}))
        for world, new_index in dict(new_pkg.get("worlds", {})).items():
            if world not in old_worlds:
                continue
            breaks = _world_breaks(old, new, old_pkg, new_pkg, old_worlds[world], new_index, base)
            verdicts.append(WorldVerdict(name, world, tuple(breaks)))
    return verdicts


def _world_breaks(
    old: Resolved,
    new: Resolved,
    old_pkg: Json,
    new_pkg: Json,
    old_index: int,
    new_index: int,
    base: CompareOptions,
) -> list[Change]:
    old_world, new_world = old.worlds[old_index], new.worlds[new_index]
    label = str(new_world.get("name", ""))
    name = strip_version(str(new_pkg["name"]))

    def items(view: Resolved, world: Json, direction: str) -> dict[str, Json]:
        return {view.world_key(k, v): v for k, v in world.get(direction, {}).items()}

    old_items = {d: items(old, old_world, d) for d in ("imports", "exports")}
    new_items = {d: items(new, new_world, d) for d in ("imports", "exports")}
    # Imported types matter when a function of the world (imported or exported) mentions them.
    every = {**old_items["imports"], **old_items["exports"]}
    used_old = _used_types(old, _interfaces_of(old, every), _functions_of(every))
    every = {**new_items["imports"], **new_items["exports"]}
    used_new = _used_types(new, _interfaces_of(new, every), _functions_of(every))
    found: list[Change] = []
    for direction, perspective in (("imports", "importer"), ("exports", "exporter")):
        opts = CompareOptions(perspective=perspective, strict=True,  # type: ignore[arg-type]
                              ignore_unstable=base.ignore_unstable)
        cmp = _comparison(old, new, old_pkg, new_pkg, opts)
        if direction == "imports":
            cmp.used_old, cmp.used_new = used_old, used_new
        else:
            cmp.used_old = set(range(len(old.types)))
            cmp.used_new = set(range(len(new.types)))
        olds, news = old_items[direction], new_items[direction]
        for key, item in olds.items():
            other = news.get(key)
            if other is None or cmp.skip(item, other):
                continue
            if "interface" in item and "interface" in other:
                oi, ni = int(item["interface"]["id"]), int(other["interface"]["id"])
                if old.interface_name(oi) == new.interface_name(ni):
                    cmp.interface(oi, ni, (name, label, key))
                    continue
            cmp.world_item(item, other, f"{direction[:-1]} `{key}` of world `{label}`",
                           (name, label, key))
        # A component built for the old world imports no more than the old imports and exports
        # at least the new exports: a missing import or an extra export does not link.
        if direction == "imports":
            for key, item in olds.items():
                if key not in news and not cmp.skip(item, None):
                    cmp.report("world-import-removed",
                               f"world `{label}` no longer imports `{key}`", (name, label), True)
        else:
            for key, item in news.items():
                if key not in olds and not cmp.skip(None, item):
                    cmp.report("world-export-added",
                               f"world `{label}` now requires the export `{key}`",
                               (name, label, key))
        found.extend(c for c in cmp.changes if c.rule.cls == "LINK" and c.level == "error")
    return found


def _interfaces_of(view: Resolved, items: dict[str, Json]) -> list[Json]:
    out: list[Json] = []
    for item in items.values():
        iface = item.get("interface") if isinstance(item, dict) else None
        if isinstance(iface, dict):
            index = int(iface.get("id", -1))
            if 0 <= index < len(view.interfaces):
                out.append(view.interfaces[index])
    return out


def _functions_of(items: dict[str, Json]) -> list[Json]:
    return [i["function"] for i in items.values()
            if isinstance(i, dict) and isinstance(i.get("function"), dict)]


def _summaries(cmp: _Comparison, name: str) -> None:
    link = [c for c in cmp.changes if c.rule.cls == "LINK" and c.level == "error"]
    if link and cmp.same_track and cmp.new_version:
        cmp.report(
            "breaking-within-track",
            f"{len(link)} link-breaking change(s) between {cmp.old_version} and "
            f"{cmp.new_version}, which are on the same version track "
            f"({track(cmp.new_version)}); release a new major (or 0.x minor) version",
            (name,),
        )
    old_v, new_v = version_or_none(cmp.old_version), version_or_none(cmp.new_version)
    significant = [c for c in cmp.changes if c.rule.cls in ("LINK", "SOURCE")]
    if significant and old_v is not None and new_v is not None and new_v <= old_v:
        cmp.report(
            "version-not-bumped",
            f"the package changed but its version went from {cmp.old_version} to {cmp.new_version}",
            (name,),
        )


def describe(change: Change) -> dict[str, Any]:
    """A change as JSON-ready data."""
    return {
        "id": change.rule.id,
        "rule": change.rule.name,
        "class": change.rule.cls,
        "level": change.level,
        "message": change.message,
        "subject": list(change.subject),
        "removed": change.removed,
    }
