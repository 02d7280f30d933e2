package coord

import (
	"container/list"
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxPerNamespace bounds each namespace of a Memory store.
const DefaultMaxPerNamespace = 100_000

// Memory is a Store in this process's memory: exact for one replica, and
// forgotten at restart. Keys are grouped in namespaces (the text before the
// first ':'), each bounded on its own, so a flood of one kind of key (made-up
// login ids, say) cannot evict another kind (a real admin's failure count).
// Past the bound a namespace drops its oldest entries first.
type Memory struct {
	mu  sync.Mutex
	max int
	now func() time.Time
	ns  map[string]*table
}

type table struct {
	entries map[string]*list.Element // of *entry
	order   *list.List               // oldest first
}

type entry struct {
	key     string
	value   []byte
	expires time.Time
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty Memory store with DefaultMaxPerNamespace.
func NewMemory() *Memory { return NewMemoryBounded(DefaultMaxPerNamespace, time.Now) }

// NewMemoryBounded returns a Memory store holding at most max entries per
// namespace, reading the time from now.
func NewMemoryBounded(max int, now func() time.Time) *Memory {
	return &Memory{max: max, now: now, ns: map[string]*table{}}
}

// lookup returns key's live entry, dropping it when it has expired.
func (m *Memory) lookup(key string) (*table, *entry) {
	name, _, _ := strings.Cut(key, ":")
	t := m.ns[name]
	if t == nil {
		t = &table{entries: map[string]*list.Element{}, order: list.New()}
		m.ns[name] = t
	}
	el, ok := t.entries[key]
	if !ok {
		return t, nil
	}
	e := el.Value.(*entry)
	if !m.now().Before(e.expires) {
		t.drop(el)
		return t, nil
	}
	return t, e
}

// store sets key in t, making room first.
func (m *Memory) store(t *table, key string, value []byte, ttl time.Duration) *entry {
	if el, ok := t.entries[key]; ok {
		t.drop(el)
	}
	now := m.now()
	for t.order.Len() >= m.max {
		t.drop(t.order.Front())
	}
	for el := t.order.Front(); el != nil && !now.Before(el.Value.(*entry).expires); el = t.order.Front() {
		t.drop(el)
	}
	e := &entry{key: key, value: value, expires: now.Add(ttl)}
	t.entries[key] = t.order.PushBack(e)
	return e
}

func (t *table) drop(el *list.Element) {
	delete(t.entries, el.Value.(*entry).key)
	t.order.Remove(el)
}

func (m *Memory) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, e := m.lookup(key)
	if e != nil {
		return false, nil
	}
	m.store(t, key, []byte("1"), ttl)
	return true, nil
}

func (m *Memory) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, e := m.lookup(key); e != nil {
		t.drop(t.entries[key])
	}
	return nil
}

func (m *Memory) Rank(_ context.Context, key string) (int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, e := m.lookup(key); e != nil {
		n, err := strconv.Atoi(string(e.value))
		return n, err == nil, nil
	}
	return 0, false, nil
}

func (m *Memory) SetRank(_ context.Context, key string, n int, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, _ := m.lookup(key)
	m.store(t, key, []byte(strconv.Itoa(n)), ttl)
	return nil
}

func (m *Memory) Count(_ context.Context, key string) (int, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, e := m.lookup(key); e != nil {
		n, _ := strconv.Atoi(string(e.value))
		return n, e.expires.Sub(m.now()), nil
	}
	return 0, 0, nil
}

func (m *Memory) Add(_ context.Context, key string, delta int, window time.Duration) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, e := m.lookup(key)
	if e == nil {
		m.store(t, key, []byte(strconv.Itoa(delta)), window)
		return delta, nil
	}
	n, _ := strconv.Atoi(string(e.value))
	n += delta
	e.value = []byte(strconv.Itoa(n)) // the window keeps its end
	return n, nil
}

func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, e := m.lookup(key); e != nil {
		return append([]byte(nil), e.value...), true, nil
	}
	return nil, false, nil
}

func (m *Memory) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, _ := m.lookup(key)
	m.store(t, key, append([]byte(nil), value...), ttl)
	return nil
}

// export returns key's value and how long it has left, for a write-back.
func (m *Memory) export(key string) ([]byte, time.Duration, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, e := m.lookup(key); e != nil {
		return append([]byte(nil), e.value...), e.expires.Sub(m.now()), true
	}
	return nil, 0, false
}
