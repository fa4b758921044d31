package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/trustid/trustid/internal/mask"
)

// Registry is the host's authoritative source of document records: a gateway to the
// national platform or a government database.
//
// Contract (checked by verify/verifytest):
//   - Lookup returns the record of the document with this kind and number. The number
//     is the canonical form of [ParseNumber]: identity numbers in their 18-character
//     form with an upper-case X, plates without separator.
//   - When there is no such document: (nil, error matching [ErrNotFound]).
//   - Any other error is a system failure: the Checker returns it (wrapped) and never
//     reports it as "no match". A cancelled or expired ctx must give an error that
//     is not ErrNotFound.
//   - The returned record is the caller's: changing it does not change the registry.
//   - Lookup is safe for concurrent use.
//   - Errors must not contain the number or any other personal data.
//   - A record's compared fields should keep to the limits of a claim ([MaxNameBytes],
//     [MaxAddressBytes], [MaxNumberBytes]); a field over its limit, or holding invalid
//     UTF-8 or a bidirectional control, never matches a claim.
type Registry interface {
	Lookup(ctx context.Context, kind CredentialKind, number string) (*Record, error)
}

type regKey struct {
	kind   CredentialKind
	number string
}

// MemoryRegistry is an in-memory [Registry], for tests, demonstrations and small
// deployments that load their records at start-up. It is safe for concurrent use.
type MemoryRegistry struct {
	mu      sync.RWMutex
	records map[regKey]Record
}

// NewMemoryRegistry returns a registry holding records. It fails with [ErrInvalidArgument] if a
// record has an invalid kind, an empty number, or the same kind and number as another,
// and with an [*Error] (which matches ErrInvalidArgument) if a compared field is over its
// limit or holds invalid UTF-8 or a bidirectional control (see [MemoryRegistry.Add]).
func NewMemoryRegistry(records ...Record) (*MemoryRegistry, error) {
	m := &MemoryRegistry{records: make(map[regKey]Record, len(records))}
	for i := range records {
		if err := m.Add(records[i]); err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		if len(m.records) != i+1 {
			return nil, fmt.Errorf("verify: record %d duplicates the kind and number of an earlier record: %w", i, ErrInvalidArgument)
		}
	}
	return m, nil
}

// LoadRegistry reads a JSON array of records (the form of verify/testdata/registry.json)
// and returns a registry holding them. The records are checked as [NewMemoryRegistry]
// checks them: a field over its limit is refused with an [*Error] whose Reason is
// field_too_long and whose Field names the field.
func LoadRegistry(r io.Reader) (*MemoryRegistry, error) {
	var recs []Record
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&recs); err != nil {
		// json errors may quote input values; keep only the fact.
		return nil, fmt.Errorf("verify: registry fixture is not a valid JSON array of records: %w", ErrInvalidArgument)
	}
	return NewMemoryRegistry(recs...)
}

// Add adds or replaces the record of one document. The number is normalised with
// [NormalizeNumber]. The fields that are compared with a claim are held to the limits
// of a claim before anything else: Number to [MaxNumberBytes], Name, LatinName,
// Nationality and Ethnicity to [MaxNameBytes], Address to [MaxAddressBytes], and all of
// them must be valid UTF-8 without bidirectional controls; otherwise Add returns an
// [*Error] (Reason field_too_long or field_invalid_text, Field naming the field) that
// matches [ErrInvalidArgument].
func (m *MemoryRegistry) Add(r Record) error {
	if err := checkRecord(&r); err != nil {
		return err
	}
	if !r.Kind.Valid() {
		return fmt.Errorf("verify: record with invalid kind: %w", ErrInvalidArgument)
	}
	r.Number = NormalizeNumber(r.Number)
	if r.Number == "" {
		return fmt.Errorf("verify: record without number: %w", ErrInvalidArgument)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.records == nil {
		m.records = make(map[regKey]Record)
	}
	m.records[regKey{r.Kind, r.Number}] = r
	return nil
}

// Lookup implements [Registry]. A number over [MaxNumberBytes] is not found.
func (m *MemoryRegistry) Lookup(ctx context.Context, kind CredentialKind, number string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(number) > MaxNumberBytes {
		return nil, ErrNotFound
	}
	m.mu.RLock()
	r, ok := m.records[regKey{kind, NormalizeNumber(number)}]
	m.mu.RUnlock()
	if !ok {
		return nil, ErrNotFound
	}
	return &r, nil
}

// Len returns the number of records.
func (m *MemoryRegistry) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.records)
}

// String returns "verify.MemoryRegistry{N records}": never the records themselves.
func (m *MemoryRegistry) String() string {
	if m == nil {
		return "<nil>"
	}
	return fmt.Sprintf("verify.MemoryRegistry{%d records}", m.Len())
}

// Format writes the String form for every verb, so that %v and %#v do not print the
// records.
func (m *MemoryRegistry) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, m.String(), m.String())
}
