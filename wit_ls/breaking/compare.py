"""Compare two resolved versions of a package and list what breaks whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wit_ls.breaking.catalogue import RULES, BreakingRule
from wit_ls.breaking.resolved import Json, Resolved, strip_version, version_of
from wit_ls.syntax.semver import Version, VersionError, parse_version

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
    """The canonical version track: 1.2.3 -> 1, 0.2.6 -> 0.2, 0.0.1 -> 0.0.1."""
    try:
        v = parse_version(version)
    except VersionError:
        return version
    if v.pre:
        return str(v)
    if v.major:
        return str(v.major)
    if v.minor:
        return f"0.{v.minor}"
    return f"0.0.{v.patch}"


def _parsed(version: str) -> Version | None:
    try:
        return parse_version(version) if version else None
    except VersionError:
        return None


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


def _used_types(view: Resolved, iface: Json) -> set[int]:
    """The types an interface's functions mention, directly or inside other types."""
    refs: list[object] = []
    for func in dict(iface.get("functions", {})).values():
        refs.extend(p.get("type") for p in func.get("params", []))
        refs.append(func.get("result"))
        kind = func.get("kind")
        if isinstance(kind, dict):
            refs.extend(v for v in kind.values() if isinstance(v, int))
    return view.referenced_types([r for r in refs if isinstance(r, (str, int))])


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
        new_v = _parsed(self.new_version)
        old_v = _parsed(self.old_version)
        if new_v is None or _unstable(item):
            return
        since = _parsed(_since(item) or "")
        if since is None or (old_v is not None and since <= old_v):
            gate = f"`@since(version = {self.new_version})`"
            self.report(
                "added-item-not-gated", f"{what} is new in this version but has no {gate}", subject
            )

    def removed_item(self, item: Json, what: str, subject: tuple[str, ...]) -> None:
        if not _deprecated(item):
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
        if o.structure(old_ref) == n.structure(new_ref):
            if old_tag != new_tag and new_tag == "type":
                target = n.typedef(new["kind"]["type"])
                home = n.owner_name(target) if target else "another interface"
                self.report(
                    "type-moved",
                    f"{what} is now defined in `{home}` and brought in with `use`",
                    subject,
                    unused=self.current_unused,
                )
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
        self.unused_old = set(old_types.values()) - _used_types(o, old)
        self.unused_new = set(new_types.values()) - _used_types(n, new)
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


def compare(
    old_doc: Json, new_doc: Json, package: str, options: CompareOptions | None = None
) -> list[Change]:
    """What changed in ``package`` (matched by name, versions ignored) between two resolves."""
    opts = options or CompareOptions()
    old, new = Resolved(old_doc), Resolved(new_doc)
    old_pkg, new_pkg = old.package(package), new.package(package)
    if old_pkg is None or new_pkg is None:
        return []
    old_version, new_version = version_of(str(old_pkg["name"])), version_of(str(new_pkg["name"]))
    same = track(old_version) == track(new_version)
    cmp = _Comparison(old, new, opts, same, old_version, new_version)
    name = strip_version(str(new_pkg["name"]))
    old_ifaces: dict[str, int] = dict(old_pkg.get("interfaces", {}))
    new_ifaces: dict[str, int] = dict(new_pkg.get("interfaces", {}))
    for iface, index in old_ifaces.items():
        item = old.interfaces[index]
        subject = (name, iface)
        if iface not in new_ifaces:
            if cmp.skip(item, None):
                continue
            cmp.report("interface-removed", f"interface `{iface}` was removed", (name,), True)
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
            cmp.report("world-removed", f"world `{world}` was removed", (name,), True)
            cmp.removed_item(item, f"world `{world}`", (name,))
        elif not cmp.skip(item, new.worlds[new_worlds[world]]):
            cmp.world(index, new_worlds[world], (name, world))
    for world, index in new_worlds.items():
        if world not in old_worlds and not cmp.skip(None, new.worlds[index]):
            cmp.added(new.worlds[index], f"world `{world}`", (name, world))
    _summaries(cmp, name)
    return cmp.changes


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
    old_v, new_v = _parsed(cmp.old_version), _parsed(cmp.new_version)
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
