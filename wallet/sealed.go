package wallet

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

const (
	// sealPurpose is the internal/seal purpose of at-rest wallet records: their keys are
	// derived for it alone, so no other sealed value of the library opens as a record.
	sealPurpose = "wallet/record"
	// sealedFormat is the at-rest format of a sealed record's payload (see the package
	// documentation). Format 1 was the wallet's own sealing before it used internal/seal.
	sealedFormat = 2
	// rotateRetries bounds RotateAll's attempts per record (the library's default
	// MaxRetries).
	rotateRetries = 3
)

// sealNever is the expiry sealed into every record: records do not expire.
var sealNever = time.Unix(0, math.MaxInt64)

// sealPayload lays out what is sealed: format | holder key length | holder key | data.
// The holder key is inside the authenticated plaintext, so a record moved to another
// holder's place opens but is refused.
func sealPayload(holder string, data []byte) []byte {
	p := make([]byte, 0, 5+len(holder)+len(data))
	p = append(p, sealedFormat)
	p = binary.BigEndian.AppendUint32(p, uint32(len(holder)))
	p = append(p, holder...)
	return append(p, data...)
}

// openPayload checks the format and the holder key of an opened payload and returns the
// encoded wallet.
func openPayload(holder string, p []byte) ([]byte, error) {
	if len(p) < 5 || p[0] != sealedFormat {
		return nil, newErr("open", ReasonCorrupt, 0, "sealed_format", nil)
	}
	n := binary.BigEndian.Uint32(p[1:5])
	if uint64(n) > uint64(len(p)-5) {
		return nil, newErr("open", ReasonCorrupt, 0, "sealed_holder", nil)
	}
	if subtle.ConstantTimeCompare(p[5:5+n], []byte(holder)) != 1 {
		return nil, errNotAuthentic()
	}
	return p[5+n:], nil
}

func errNotAuthentic() error { return newErr("open", ReasonNotAuthentic, 0, "", nil) }

// SealedStore wraps a Store and seals each record's Data (every personal field: the
// credentials and the history) with authenticated encryption bound to the record's
// holder key. Keys, versions and index keys pass through unchanged: they are HMACs
// already. It is safe for concurrent use if the inner store is. Its methods on a nil
// *SealedStore return an error matching ErrInvalidArgument.
type SealedStore struct {
	inner Store
	s     *seal.Sealer
	first uint32 // ID of the key that seals
}

var _ Store = (*SealedStore)(nil)

// NewSealedStore returns a Store that seals records under keys[0] before they reach
// inner and opens records sealed under any of keys, with internal/seal for the purpose
// "wallet/record" (the format is in the package documentation), with the cryptographic
// suite of each key (store.Key.Suite: the default, or module smsuite's SM4-GCM; the
// record's first byte names it, and a record of another suite does not open). It fails with
// ErrInvalidArgument for a nil inner store, no keys, a secret shorter than 32 bytes or a
// duplicate ID.
//
// To rotate with several instances: (1) give every instance the new key after the old
// one, so all can open it; (2) put the new key first everywhere, so writes seal under it;
// (3) run [SealedStore.RotateAll] (or Rotate per holder) to re-seal the records nobody
// wrote; (4) drop the old key. An instance that skips step 1 cannot open records that
// another instance already sealed under the new key (ErrNotAuthentic).
func NewSealedStore(inner Store, keys ...store.Key) (*SealedStore, error) {
	if inner == nil {
		return nil, invalid("sealed-store", "inner")
	}
	s, err := seal.New(sealPurpose, keys...)
	if err != nil {
		return nil, newErr("sealed-store", ReasonInvalidArgument, 0, "keys", err)
	}
	return &SealedStore{inner: inner, s: s, first: keys[0].ID}, nil
}

// open opens a sealed record of holder and returns the encoded wallet and the ID of the
// key that opened it.
func (s *SealedStore) open(holder string, data []byte) ([]byte, uint32, error) {
	p, _, id, err := s.s.Open(string(data), time.Now())
	if err != nil {
		return nil, 0, errNotAuthentic()
	}
	w, err := openPayload(holder, p)
	if err != nil {
		return nil, 0, err
	}
	return w, id, nil
}

// Load implements Store: it opens the inner record. A record that fails to open is
// ErrNotAuthentic (opaque).
func (s *SealedStore) Load(ctx context.Context, holder string) (StoredWallet, error) {
	if s == nil {
		return StoredWallet{}, invalid("load", "store")
	}
	rec, err := s.inner.Load(ctx, holder)
	if err != nil {
		return StoredWallet{}, err
	}
	data, _, err := s.open(holder, rec.Data)
	if err != nil {
		return StoredWallet{}, err
	}
	rec.Holder = holder
	rec.Data = data
	return rec, nil
}

// Save implements Store: it seals rec.Data for rec.Holder under the first key and saves
// into the inner store.
func (s *SealedStore) Save(ctx context.Context, rec StoredWallet) (uint64, error) {
	if s == nil {
		return 0, invalid("save", "store")
	}
	if rec.Holder == "" {
		return 0, invalid("save", "holder")
	}
	token, err := s.s.Seal(sealPayload(rec.Holder, rec.Data), sealNever, rand.Reader)
	if err != nil {
		return 0, newErr("save", ReasonInvalidArgument, 0, "data", err) // too large
	}
	rec.Data = []byte(token)
	return s.inner.Save(ctx, rec)
}

// Lookup implements Store by asking the inner store.
func (s *SealedStore) Lookup(ctx context.Context, key string) (string, error) {
	if s == nil {
		return "", invalid("lookup", "store")
	}
	return s.inner.Lookup(ctx, key)
}

// Rotate re-seals the record of holder under the first key if it is sealed under
// another one, and reports whether it did. The record must open under one of the
// store's keys. A concurrent writer makes it fail with store.ErrConflict; call it again.
func (s *SealedStore) Rotate(ctx context.Context, holder string) (bool, error) {
	if s == nil {
		return false, invalid("rotate", "store")
	}
	rec, err := s.inner.Load(ctx, holder)
	if err != nil {
		return false, err
	}
	data, id, err := s.open(holder, rec.Data)
	if err != nil {
		return false, err
	}
	if id == s.first {
		return false, nil
	}
	rec.Data = data
	if _, err := s.Save(ctx, rec); err != nil {
		return false, err
	}
	return true, nil
}

// RotateAll re-seals every record not sealed under the first key, retrying a record that
// a concurrent writer changed meanwhile up to 3 times (a writer re-seals under the first
// key anyway).
// It needs an inner store that implements [HolderLister] and returns the number of
// records re-sealed.
func (s *SealedStore) RotateAll(ctx context.Context) (int, error) {
	if s == nil {
		return 0, invalid("rotate", "store")
	}
	l, ok := s.inner.(HolderLister)
	if !ok {
		return 0, invalid("rotate", "inner")
	}
	holders, err := l.Holders(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range holders {
		for attempt := 0; ; attempt++ {
			done, err := s.Rotate(ctx, h)
			if errors.Is(err, store.ErrConflict) && attempt+1 < rotateRetries {
				continue
			}
			if err != nil {
				return n, fmt.Errorf("wallet: rotating a record: %w", err)
			}
			if done {
				n++
			}
			break
		}
	}
	return n, nil
}

// Holders implements HolderLister when the inner store does.
func (s *SealedStore) Holders(ctx context.Context) ([]string, error) {
	if s == nil {
		return nil, invalid("holders", "store")
	}
	l, ok := s.inner.(HolderLister)
	if !ok {
		return nil, invalid("holders", "inner")
	}
	return l.Holders(ctx)
}
