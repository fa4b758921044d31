// Package seal turns session state into an opaque, authenticated, encrypted and expiring
// token, so that a ceremony (a liveness challenge, a quiz) needs no server-side storage
// between Begin and Finish.
//
// # Format
//
// A token is the base64url (RFC 4648 §5, no padding) encoding of
//
//	version (1 byte, 0x01) | key ID (4 bytes, big endian) | nonce (24 bytes) | ciphertext
//
// where ciphertext is XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) over
//
//	expiry (8 bytes, Unix nanoseconds, big endian) | payload
//
// with the version, the key ID and the purpose string as additional data. The AEAD key is
// derived from the master secret with HKDF-SHA-256 (RFC 5869), info
// "trustid/seal/v1\x00" | purpose | 0x00 | key ID, so one master secret may serve several
// purposes without a token for one being accepted as another.
//
// # Security
//
// Tokens are confidential and tamper-evident: a change to any bit, a truncation or an
// extension fails with [ErrInvalid], as does a token for another purpose or under an
// unknown key. Nonces are 192 random bits, so keys never need rotating for nonce-reuse
// reasons. Expiry is checked after authentication, so [ErrExpired] is only returned for a
// token the sealer really issued.
//
// Sealing alone does not make a token single use: a caller that needs single use records
// [Sealer.Open]'s digest in a replay guard (see package store).
package seal

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/trustid/trustid/store"
	"golang.org/x/crypto/chacha20poly1305"
)

const (
	version    = 0x01
	headerLen  = 1 + 4 + chacha20poly1305.NonceSizeX
	expiryLen  = 8
	overhead   = headerLen + expiryLen + chacha20poly1305.Overhead
	minKeySize = 32

	maxTokenBytes = 1 << 20
)

// encoding is strict so that a token has exactly one text form: otherwise the unused low
// bits of the last character would give every token several spellings, and a replay guard
// keyed on the text could be walked around. Strict mode still skips CR and LF, which Open
// refuses itself.
var (
	minExpiry = time.Unix(0, math.MinInt64)
	maxExpiry = time.Unix(0, math.MaxInt64)
)

var encoding = base64.RawURLEncoding.Strict()

// ErrInvalid is returned for any token that is malformed, tampered with, sealed for another
// purpose or under a key the sealer does not hold. It deliberately says no more.
var ErrInvalid = errors.New("seal: invalid token")

// ErrExpired is returned for an authentic token whose expiry has passed.
var ErrExpired = errors.New("seal: token expired")

// Key is the key type of every sealer: an ID and a secret of at least 32 bytes.
type Key = store.Key

type derived struct {
	id   uint32
	aead interface {
		Seal(dst, nonce, plaintext, additionalData []byte) []byte
		Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
	}
}

// Sealer seals and opens tokens for one purpose. It is safe for concurrent use.
type Sealer struct {
	purpose string
	keys    []derived // keys[0] seals; all open
}

// New returns a sealer for purpose. keys[0] seals new tokens; every key opens tokens sealed
// under its ID, so a new key can be put first while the old one still opens live tokens.
// It returns an error for an empty purpose, no keys, a short secret or a duplicate ID.
func New(purpose string, keys ...Key) (*Sealer, error) {
	if purpose == "" {
		return nil, errors.New("seal: empty purpose")
	}
	if len(keys) == 0 {
		return nil, errors.New("seal: no keys")
	}
	s := &Sealer{purpose: purpose}
	seen := make(map[uint32]bool, len(keys))
	for _, k := range keys {
		if len(k.Secret) < minKeySize {
			return nil, fmt.Errorf("seal: key %d: secret shorter than %d bytes", k.ID, minKeySize)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("seal: duplicate key ID %d", k.ID)
		}
		seen[k.ID] = true
		var idb [4]byte
		binary.BigEndian.PutUint32(idb[:], k.ID)
		info := "trustid/seal/v1\x00" + purpose + "\x00" + string(idb[:])
		dk, err := hkdf.Key(sha256.New, k.Secret, nil, info, chacha20poly1305.KeySize)
		if err != nil {
			return nil, fmt.Errorf("seal: deriving key %d: %w", k.ID, err)
		}
		aead, err := chacha20poly1305.NewX(dk)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d: %w", k.ID, err)
		}
		s.keys = append(s.keys, derived{id: k.ID, aead: aead})
	}
	return s, nil
}

func (s *Sealer) ad(hdr []byte) []byte {
	ad := make([]byte, 0, 5+len(s.purpose))
	ad = append(ad, hdr[:5]...)
	return append(ad, s.purpose...)
}

// Seal encrypts payload with an expiry and returns the token text. The expiry is kept to the
// nanosecond; an expiry outside the years 1678 to 2262, or a payload that would make a
// token Open refuses as too long, is an error. rand supplies the nonce
// (crypto/rand.Reader in production).
func (s *Sealer) Seal(payload []byte, expires time.Time, rand io.Reader) (string, error) {
	// Outside that range UnixNano wraps (the zero Time would seal as 1754): refuse rather
	// than seal an expiry other than the one asked for.
	if expires.Before(minExpiry) || expires.After(maxExpiry) {
		return "", errors.New("seal: expiry outside the years 1678 to 2262")
	}
	if len(payload) > maxTokenBytes-overhead {
		return "", errors.New("seal: payload too large")
	}
	k := s.keys[0]
	buf := make([]byte, headerLen, overhead+len(payload))
	buf[0] = version
	binary.BigEndian.PutUint32(buf[1:5], k.id)
	if _, err := io.ReadFull(rand, buf[5:headerLen]); err != nil {
		return "", fmt.Errorf("seal: reading nonce: %w", err)
	}
	pt := make([]byte, expiryLen, expiryLen+len(payload))
	binary.BigEndian.PutUint64(pt, uint64(expires.UnixNano()))
	pt = append(pt, payload...)
	out := k.aead.Seal(buf, buf[5:headerLen], pt, s.ad(buf))
	return encoding.EncodeToString(out), nil
}

// Open authenticates and decrypts token. It returns the payload, the expiry sealed with it
// and the ID of the key that opened it. Every failure before authentication is ErrInvalid;
// an authentic token whose expiry is not after now is ErrExpired.
func (s *Sealer) Open(token string, now time.Time) (payload []byte, expires time.Time, keyID uint32, err error) {
	// Strict decoding still skips CR and LF; refuse them so that a token has exactly one
	// text form.
	if len(token) > encoding.EncodedLen(maxTokenBytes) || strings.ContainsAny(token, "\r\n") {
		return nil, time.Time{}, 0, ErrInvalid
	}
	raw, err := encoding.DecodeString(token)
	if err != nil || len(raw) < overhead || raw[0] != version {
		return nil, time.Time{}, 0, ErrInvalid
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	for _, k := range s.keys {
		if k.id != id {
			continue
		}
		pt, err := k.aead.Open(nil, raw[5:headerLen], raw[headerLen:], s.ad(raw))
		if err != nil {
			return nil, time.Time{}, 0, ErrInvalid
		}
		exp := time.Unix(0, int64(binary.BigEndian.Uint64(pt[:expiryLen])))
		if !now.Before(exp) {
			return nil, exp, id, ErrExpired
		}
		return pt[expiryLen:], exp, id, nil
	}
	return nil, time.Time{}, 0, ErrInvalid
}

// Digest returns a fixed-size digest of a token for replay guards: it identifies the token
// without storing it. Tokens with equal text have equal digests.
func Digest(purpose, token string) string {
	h := sha256.New()
	h.Write([]byte("trustid/seal/digest/v1\x00"))
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(token))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
