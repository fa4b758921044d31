package pgstore

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/store"
)

// MinKeySize is the shortest Secret of a [Config.Keys] entry accepted, in bytes.
const MinKeySize = 32

// sealFormat is the first byte of a sealed record. The layout is
//
//	format (1 byte, 1) | key ID (4 bytes, big-endian) | nonce (24 bytes) | ciphertext and tag
//
// sealed with XChaCha20-Poly1305 under HMAC-SHA-256(Secret, "trustid/pgstore/<domain>/v1
// key"), with the additional data "trustid/pgstore/<domain>/v1" | 0x00 | the header (format
// and key ID) | the record's ID, so that a record sealed for one ID does not open under
// another, nor a record of one domain (a review case) as one of another (a consent).
const sealFormat = 1

const sealHeader = 1 + 4

// The sealing domains, one per kind of sealed record.
const (
	domainReviewCase      = "review-case"
	domainLivenessConsent = "liveness-consent"
	domainRelyingConsent  = "relyingparty-consent"
	domainRelyingHandoff  = "relyingparty-handoff"
)

// checkKeys checks rotating keys: each Secret long enough, IDs distinct, no Suite (the
// records are sealed with the format above only). need says whether at least one key is
// required.
func checkKeys(keys []store.Key, need bool) error {
	if need && len(keys) == 0 {
		return fmt.Errorf("pgstore: Config.Keys is required to store sealed records: %w", store.ErrInvalidArgument)
	}
	seen := make(map[uint32]bool, len(keys))
	for _, k := range keys {
		if len(k.Secret) < MinKeySize {
			return fmt.Errorf("pgstore: every Config.Keys Secret must be at least %d bytes: %w", MinKeySize, store.ErrInvalidArgument)
		}
		if k.Suite != nil {
			return fmt.Errorf("pgstore: Config.Keys must not name a Suite: pgstore seals with the default suite only: %w", store.ErrInvalidArgument)
		}
		if seen[k.ID] {
			return fmt.Errorf("pgstore: Config.Keys IDs must be distinct: %w", store.ErrInvalidArgument)
		}
		seen[k.ID] = true
	}
	return nil
}

// sealer seals and opens the records of one domain under rotating keys.
type sealer struct {
	ad    string // "trustid/pgstore/<domain>/v1\x00"
	ids   []uint32
	aeads map[uint32]aead
}

type aead interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

func newSealer(keys []store.Key, domain string) (*sealer, error) {
	if err := checkKeys(keys, true); err != nil {
		return nil, err
	}
	label := "trustid/pgstore/" + domain + "/v1"
	s := &sealer{ad: label + "\x00", aeads: make(map[uint32]aead, len(keys))}
	for _, k := range keys {
		m := hmac.New(sha256.New, k.Secret)
		m.Write([]byte(label + " key"))
		a, err := chacha20poly1305.NewX(m.Sum(nil))
		if err != nil {
			return nil, err
		}
		s.ids = append(s.ids, k.ID)
		s.aeads[k.ID] = a
	}
	return s, nil
}

func (s *sealer) additionalData(header []byte, id string) []byte {
	ad := make([]byte, 0, len(s.ad)+len(header)+len(id))
	return append(append(append(ad, s.ad...), header...), id...)
}

// seal seals plaintext for the record id under the first key with a random nonce.
func (s *sealer) seal(id string, plaintext []byte) []byte {
	var nonce [chacha20poly1305.NonceSizeX]byte
	rand.Read(nonce[:])
	return s.sealWith(s.ids[0], nonce[:], id, plaintext)
}

func (s *sealer) sealWith(keyID uint32, nonce []byte, id string, plaintext []byte) []byte {
	out := make([]byte, 0, sealHeader+len(nonce)+len(plaintext)+chacha20poly1305.Overhead)
	out = append(out, sealFormat)
	out = binary.BigEndian.AppendUint32(out, keyID)
	header := out[:sealHeader]
	out = append(out, nonce...)
	return s.aeads[keyID].Seal(out, nonce, plaintext, s.additionalData(header, id))
}

// open opens the sealed record of id; any failure is ErrNotAuthentic, with no detail.
func (s *sealer) open(id string, sealed []byte) ([]byte, error) {
	const min = sealHeader + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
	if len(sealed) < min || sealed[0] != sealFormat {
		return nil, fmt.Errorf("%w: sealed record", ErrNotAuthentic)
	}
	a, ok := s.aeads[binary.BigEndian.Uint32(sealed[1:sealHeader])]
	if !ok {
		return nil, fmt.Errorf("%w: sealed record", ErrNotAuthentic)
	}
	nonce := sealed[sealHeader : sealHeader+chacha20poly1305.NonceSizeX]
	p, err := a.Open(nil, nonce, sealed[sealHeader+chacha20poly1305.NonceSizeX:], s.additionalData(sealed[:sealHeader], id))
	if err != nil {
		return nil, fmt.Errorf("%w: sealed record", ErrNotAuthentic)
	}
	return p, nil
}
