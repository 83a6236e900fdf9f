"""wit-parser's topological sort (of a package's interfaces and worlds, of packages), on its own
so that ``wit-ls check`` orders its errors without loading the JSON replay modules."""

from __future__ import annotations

import heapq


def toposort(deps: dict[str, list[str]]) -> list[str]:
    """wit-parser's sort: of the nodes whose dependencies are all placed, the one first in
    ``deps`` goes next. Unknown dependencies are ignored (the input has no errors)."""
    names = list(deps)
    index = {n: i for i, n in enumerate(names)}
    remaining = [0] * len(names)
    reverse: list[list[int]] = [[] for _ in names]
    for i, name in enumerate(names):
        for dep in deps[name]:
            j = index.get(dep)
            if j is None:
                continue
            remaining[i] += 1
            reverse[j].append(i)
    heap = [i for i in range(len(names)) if remaining[i] == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        i = heapq.heappop(heap)
        order.append(names[i])
        for k in reverse[i]:
            remaining[k] -= 1
            if remaining[k] == 0:
                heapq.heappush(heap, k)
    placed = set(order)
    order.extend(n for n in names if n not in placed)
    return order
