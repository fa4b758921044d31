package wallet

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// Key is an at-rest master key with an identifier: Secret is at least 32 bytes from
// crypto/rand. It is internal/seal's key type, whose String never shows the secret.
type Key = seal.Key

const (
	sealedVersion   = 0x01
	sealedHeaderLen = 1 + 4 + chacha20poly1305.NonceSizeX
	sealedOverhead  = sealedHeaderLen + chacha20poly1305.Overhead
	sealedInfo      = "trustid/wallet/at-rest/v1\x00"
	minSecretLen    = 32
)

// sealer seals wallet records at rest. internal/seal is not used because its tokens
// carry an expiry (records must not expire), are text (records are bytes), and bind only
// a fixed purpose, while a record must also be bound to its holder key so that a store
// cannot swap two holders' records undetected.
type sealer struct {
	keys []sealKey // keys[0] seals; all open
	rand io.Reader
}

type sealKey struct {
	id   uint32
	aead cipher.AEAD
}

func newSealer(keys []Key) (*sealer, error) {
	if len(keys) == 0 {
		return nil, invalid("sealed-store", "keys")
	}
	s := &sealer{rand: rand.Reader}
	seen := map[uint32]bool{}
	for _, k := range keys {
		if len(k.Secret) < minSecretLen {
			return nil, invalid("sealed-store", "keys")
		}
		if seen[k.ID] {
			return nil, invalid("sealed-store", "keys")
		}
		seen[k.ID] = true
		var id [4]byte
		binary.BigEndian.PutUint32(id[:], k.ID)
		dk, err := hkdf.Key(sha256.New, k.Secret, nil, sealedInfo+string(id[:]), chacha20poly1305.KeySize)
		if err != nil {
			return nil, fmt.Errorf("wallet: sealed store: deriving key %d: %w", k.ID, err)
		}
		aead, err := chacha20poly1305.NewX(dk)
		if err != nil {
			return nil, fmt.Errorf("wallet: sealed store: key %d: %w", k.ID, err)
		}
		s.keys = append(s.keys, sealKey{id: k.ID, aead: aead})
	}
	return s, nil
}

func sealedAD(hdr []byte, holder string) []byte {
	ad := make([]byte, 0, len(sealedInfo)+5+len(holder))
	ad = append(ad, sealedInfo...)
	ad = append(ad, hdr[:5]...)
	return append(ad, holder...)
}

// seal encrypts data for holder under keys[0].
func (s *sealer) seal(holder string, data []byte) ([]byte, error) {
	k := s.keys[0]
	out := make([]byte, sealedHeaderLen, sealedOverhead+len(data))
	out[0] = sealedVersion
	binary.BigEndian.PutUint32(out[1:5], k.id)
	if _, err := io.ReadFull(s.rand, out[5:sealedHeaderLen]); err != nil {
		return nil, fmt.Errorf("wallet: sealed store: reading nonce: %w", err)
	}
	return k.aead.Seal(out, out[5:sealedHeaderLen], data, sealedAD(out, holder)), nil
}

// open authenticates and decrypts a sealed record of holder. Every failure is ErrSealed.
func (s *sealer) open(holder string, b []byte) (data []byte, keyID uint32, err error) {
	id, err := SealedKeyID(b)
	if err != nil {
		return nil, 0, err
	}
	for _, k := range s.keys {
		if k.id != id {
			continue
		}
		pt, err := k.aead.Open(nil, b[5:sealedHeaderLen], b[sealedHeaderLen:], sealedAD(b, holder))
		if err != nil {
			return nil, 0, errSealed()
		}
		return pt, id, nil
	}
	return nil, 0, errSealed()
}

func errSealed() error { return newErr("open", ReasonNotAuthentic, 0, "", nil) }

// SealedKeyID returns the ID of the key a sealed record's Data was sealed under, read
// from its header without authenticating it. It fails with ErrSealed for data that is
// not a sealed record of this version. Use it to find records still sealed under an old
// key; only opening a record proves that the header is authentic.
//
// The sealed format is
//
//	version (1 byte, 0x01) | key ID (4 bytes, big endian) | nonce (24 bytes) | ciphertext
//
// where ciphertext is XChaCha20-Poly1305 over the encoded wallet, with the additional data
// "trustid/wallet/at-rest/v1\x00" | version | key ID | holder key, under a key derived
// from the master secret with HKDF-SHA-256 (RFC 5869), info
// "trustid/wallet/at-rest/v1\x00" | key ID.
func SealedKeyID(data []byte) (uint32, error) {
	if len(data) < sealedOverhead || data[0] != sealedVersion {
		return 0, errSealed()
	}
	return binary.BigEndian.Uint32(data[1:5]), nil
}

// SealedStore wraps a Store and seals each record's Data (every personal field: the
// credentials and the history) with authenticated encryption bound to the record's
// holder key. Keys, versions and index keys pass through unchanged: they are HMACs
// already. It is safe for concurrent use if the inner store is.
type SealedStore struct {
	inner Store
	s     *sealer
}

var _ Store = (*SealedStore)(nil)

// NewSealedStore returns a Store that seals records under keys[0] before they reach
// inner and opens records sealed under any of keys. It fails for no keys, a secret
// shorter than 32 bytes or a duplicate ID.
//
// To rotate with several instances: (1) give every instance the new key after the old
// one, so all can open it; (2) put the new key first everywhere, so writes seal under it;
// (3) run [SealedStore.RotateAll] (or Rotate per holder) to re-seal the records nobody
// wrote; (4) drop the old key. An instance that skips step 1 cannot open records that
// another instance already sealed under the new key (ErrSealed).
func NewSealedStore(inner Store, keys ...Key) (*SealedStore, error) {
	if inner == nil {
		return nil, invalid("sealed-store", "inner")
	}
	s, err := newSealer(keys)
	if err != nil {
		return nil, err
	}
	return &SealedStore{inner: inner, s: s}, nil
}

// Load implements Store: it opens the inner record. A record that fails to open is
// ErrSealed (opaque).
func (s *SealedStore) Load(ctx context.Context, holder string) (StoredWallet, error) {
	rec, err := s.inner.Load(ctx, holder)
	if err != nil {
		return StoredWallet{}, err
	}
	data, _, err := s.s.open(holder, rec.Data)
	if err != nil {
		return StoredWallet{}, err
	}
	rec.Holder = holder
	rec.Data = data
	return rec, nil
}

// Save implements Store: it seals rec.Data under the first key and saves into the inner
// store.
func (s *SealedStore) Save(ctx context.Context, rec StoredWallet) (uint64, error) {
	if rec.Holder == "" {
		return 0, invalid("save", "holder")
	}
	sealed, err := s.s.seal(rec.Holder, rec.Data)
	if err != nil {
		return 0, err
	}
	rec.Data = sealed
	return s.inner.Save(ctx, rec)
}

// Lookup implements Store by asking the inner store.
func (s *SealedStore) Lookup(ctx context.Context, key string) (string, error) {
	return s.inner.Lookup(ctx, key)
}

// Rotate re-seals the record of holder under the first key if it is sealed under
// another one, and reports whether it did. The record must open under one of the
// store's keys. A concurrent writer makes it fail with store.ErrConflict; call it again.
func (s *SealedStore) Rotate(ctx context.Context, holder string) (bool, error) {
	rec, err := s.inner.Load(ctx, holder)
	if err != nil {
		return false, err
	}
	data, id, err := s.s.open(holder, rec.Data)
	if err != nil {
		return false, err
	}
	if id == s.s.keys[0].id {
		return false, nil
	}
	rec.Data = data
	if _, err := s.Save(ctx, rec); err != nil {
		return false, err
	}
	return true, nil
}

// RotateAll re-seals every record not sealed under the first key, retrying records that
// a concurrent writer changed meanwhile (a writer re-seals under the first key anyway).
// It needs an inner store that implements [HolderLister] and returns the number of
// records re-sealed.
func (s *SealedStore) RotateAll(ctx context.Context) (int, error) {
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
			if errors.Is(err, store.ErrConflict) && attempt < 8 {
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
	l, ok := s.inner.(HolderLister)
	if !ok {
		return nil, invalid("rotate", "inner")
	}
	return l.Holders(ctx)
}
