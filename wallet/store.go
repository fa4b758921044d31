package wallet

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/store"
)

// StoredWallet is what a [Store] keeps for one holder: one wallet, its version and its
// index, with the wallet's credentials and history encoded (and sealed, through
// [NewSealedStore]) in Data. Its output forms (String, GoString, Format, LogValue,
// MarshalText, MarshalJSON) show a summary without Data, which holds personal data in
// clear when the store is not sealed. Its keys are HMACs under the wallet's
// index key: the store never sees a raw document number as a key.
type StoredWallet struct {
	// Holder is the holder key: an HMAC of the holder's identity number.
	Holder string
	// Version is the version the record was loaded at: 0 for a record that does not
	// exist yet. Store.Save refuses a record whose Version is not the stored one.
	Version uint64
	// Index lists the lookup keys under which Store.Lookup finds this holder:
	// credential handles and the keys of live presentations (HMACs too).
	Index []string
	// Data is the encoded wallet: credentials and history. It holds personal data in
	// clear unless the store is wrapped with [NewSealedStore].
	Data []byte
}

func (r StoredWallet) masked() string {
	return fmt.Sprintf("{Holder:%s Version:%d Index:[%d keys] Data:[%d bytes]}",
		mask.Middle(r.Holder, 6, 0), r.Version, len(r.Index), len(r.Data))
}

// String returns a summary without the data: the start of the holder key, the version,
// the number of index keys and the length of Data.
func (r StoredWallet) String() string { return r.masked() }

// GoString returns the same summary, so that %#v shows no data.
func (r StoredWallet) GoString() string { return "wallet.StoredWallet" + r.masked() }

// Format writes the summary for every verb.
func (r StoredWallet) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.GoString()) }

// LogValue logs the summary.
func (r StoredWallet) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalText returns the summary.
func (r StoredWallet) MarshalText() ([]byte, error) { return []byte(r.masked()), nil }

// MarshalJSON returns the summary as a JSON string: a store that keeps records as JSON
// must encode the fields itself.
func (r StoredWallet) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// Store keeps wallet records. Implementations must be safe for concurrent use; the
// conformance suite wallet/wallettest checks the contract below.
//
//   - Load returns the record of holder with its current Version, or an error matching
//     ErrNotFound when there is none. Other errors are system failures.
//   - Save stores rec if rec.Version equals the stored version (0: the record must not
//     exist yet) at version rec.Version+1 and returns that version; otherwise it stores
//     nothing and returns an error matching store.ErrConflict. The check and the
//     write are atomic. After a successful Save, Lookup finds rec.Holder under every key
//     of rec.Index, and no longer under keys of the previous version that rec.Index
//     dropped. A key listed by two holders belongs to the one saved last.
//   - Lookup returns the holder key indexed under key, or an error matching ErrNotFound.
//
// Records are values: a store must not keep or modify slices it was given or returned.
type Store interface {
	Load(ctx context.Context, holder string) (StoredWallet, error)
	Save(ctx context.Context, rec StoredWallet) (version uint64, err error)
	Lookup(ctx context.Context, key string) (holder string, err error)
}

// HolderLister is an optional ability of a Store: listing every holder key, so that
// [SealedStore.RotateAll] can re-seal every record.
type HolderLister interface {
	Holders(ctx context.Context) ([]string, error)
}

// MemoryStore is the in-memory Store. It is safe for concurrent use. Its methods on a
// nil *MemoryStore return an error matching ErrInvalidArgument. It keeps Data as
// given: wrap it with [NewSealedStore] to keep personal data encrypted in memory.
type MemoryStore struct {
	mu      sync.Mutex
	records map[string]StoredWallet
	index   map[string]string
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: map[string]StoredWallet{}, index: map[string]string{}}
}

func cloneStored(r StoredWallet) StoredWallet {
	r.Index = slices.Clone(r.Index)
	r.Data = slices.Clone(r.Data)
	return r
}

// Load implements Store.
func (m *MemoryStore) Load(ctx context.Context, holder string) (StoredWallet, error) {
	if m == nil {
		return StoredWallet{}, invalid("load", "store")
	}
	if err := ctx.Err(); err != nil {
		return StoredWallet{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[holder]
	if !ok {
		return StoredWallet{}, fmt.Errorf("wallet: memory store: holder record: %w", ErrNotFound)
	}
	return cloneStored(r), nil
}

// Save implements Store.
func (m *MemoryStore) Save(ctx context.Context, rec StoredWallet) (uint64, error) {
	if m == nil {
		return 0, invalid("save", "store")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if rec.Holder == "" {
		return 0, invalid("save", "holder")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.records[rec.Holder] // zero StoredWallet, version 0, when there is none
	if rec.Version != old.Version {
		return 0, fmt.Errorf("wallet: memory store: record at version %d, not %d: %w", old.Version, rec.Version, store.ErrConflict)
	}
	for _, k := range old.Index {
		if m.index[k] == rec.Holder {
			delete(m.index, k)
		}
	}
	rec = cloneStored(rec)
	rec.Version = old.Version + 1
	m.records[rec.Holder] = rec
	for _, k := range rec.Index {
		m.index[k] = rec.Holder
	}
	return rec.Version, nil
}

// Lookup implements Store.
func (m *MemoryStore) Lookup(ctx context.Context, key string) (string, error) {
	if m == nil {
		return "", invalid("lookup", "store")
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.index[key]
	if !ok {
		return "", fmt.Errorf("wallet: memory store: index key: %w", ErrNotFound)
	}
	return h, nil
}

// Holders implements HolderLister: the holder keys, sorted.
func (m *MemoryStore) Holders(ctx context.Context) ([]string, error) {
	if m == nil {
		return nil, invalid("holders", "store")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	hs := make([]string, 0, len(m.records))
	for h := range m.records {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	return hs, nil
}
