// Package seal turns session state into an opaque, authenticated, encrypted and expiring
// token, so that a ceremony (a liveness challenge, a quiz) needs no server-side storage
// between Begin and Finish.
//
// # Format
//
// A token is the base64url (RFC 4648 §5, no padding) encoding of
//
//	suite (1 byte, 0x01) | key ID (4 bytes, big endian) | nonce (24 bytes) | ciphertext
//
// where ciphertext is XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) over
//
//	expiry (8 bytes, Unix nanoseconds, big endian) | payload
//
// with the suite byte, the key ID and the purpose string as additional data. The AEAD key
// is derived from the master secret with HKDF-SHA-256 (RFC 5869), info
// "trustid/seal/v1\x00" | purpose | 0x00 | key ID, so one master secret may serve several
// purposes without a token for one being accepted as another.
//
// That is the default suite. A key with a [store.SealSuite] (store.Key.Suite) seals with
// that suite's AEAD instead, derived by the suite from the secret and the same info: the
// first byte is then the suite's SealID, the nonce has the suite AEAD's nonce size, and
// everything else is as above. A token whose first byte is not the suite of the key it
// names fails with [ErrWrongSuite].
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
	"crypto/cipher"
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
	version    = 0x01 // the default suite's first byte
	idLen      = 1 + 4
	expiryLen  = 8
	minKeySize = 32
	minNonce   = 16 // random nonces of a suite
	minTag     = 16

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

// ErrWrongSuite is returned for a token whose first byte names another suite than that of
// every key the sealer holds under the token's key ID (or of every key, if none has that
// ID): a token of another deployment's cryptography. It matches ErrInvalid too, so
// callers that do not care need not know it.
var ErrWrongSuite = fmt.Errorf("seal: token of another suite: %w", ErrInvalid)

// ErrExpired is returned for an authentic token whose expiry has passed.
var ErrExpired = errors.New("seal: token expired")

// Key is the key type of every sealer: an ID and a secret of at least 32 bytes.
type Key = store.Key

type derived struct {
	id    uint32
	suite byte // the first byte of its tokens
	aead  cipher.AEAD
}

// headerLen is the length of the suite byte, the key ID and the nonce.
func (d *derived) headerLen() int { return idLen + d.aead.NonceSize() }

// overhead is the length of a token with an empty payload.
func (d *derived) overhead() int { return d.headerLen() + expiryLen + d.aead.Overhead() }

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
		d, err := derive(k, info)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d: %w", k.ID, err)
		}
		s.keys = append(s.keys, d)
	}
	return s, nil
}

func derive(k Key, info string) (derived, error) {
	if k.Suite == nil {
		dk, err := hkdf.Key(sha256.New, k.Secret, nil, info, chacha20poly1305.KeySize)
		if err != nil {
			return derived{}, err
		}
		aead, err := chacha20poly1305.NewX(dk)
		return derived{id: k.ID, suite: version, aead: aead}, err
	}
	id := k.Suite.SealID()
	if id <= version {
		return derived{}, errors.New("suite ID must be 2 to 255")
	}
	aead, err := k.Suite.SealAEAD(k.Secret, info)
	if err != nil {
		return derived{}, err
	}
	if aead.NonceSize() < minNonce || aead.Overhead() < minTag {
		return derived{}, errors.New("suite AEAD nonce or tag shorter than 16 bytes")
	}
	return derived{id: k.ID, suite: id, aead: aead}, nil
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
	k := &s.keys[0]
	headerLen, overhead := k.headerLen(), k.overhead()
	if len(payload) > maxTokenBytes-overhead {
		return "", errors.New("seal: payload too large")
	}
	buf := make([]byte, headerLen, overhead+len(payload))
	buf[0] = k.suite
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
	if err != nil || len(raw) < idLen {
		return nil, time.Time{}, 0, ErrInvalid
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	named := false // a key has the token's ID
	for i := range s.keys {
		k := &s.keys[i]
		if k.id != id {
			continue
		}
		named = true
		if k.suite != raw[0] {
			continue
		}
		headerLen := k.headerLen()
		if len(raw) < k.overhead() {
			return nil, time.Time{}, 0, ErrInvalid
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
	if named || !s.holdsSuite(raw[0]) {
		return nil, time.Time{}, 0, ErrWrongSuite
	}
	return nil, time.Time{}, 0, ErrInvalid
}

// holdsSuite reports whether a key of the sealer seals with the suite of first byte b.
func (s *Sealer) holdsSuite(b byte) bool {
	for i := range s.keys {
		if s.keys[i].suite == b {
			return true
		}
	}
	return false
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
