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

// sealFormat is the first byte of a sealed review case. The layout is
//
//	format (1 byte, 1) | key ID (4 bytes, big-endian) | nonce (24 bytes) | ciphertext and tag
//
// sealed with XChaCha20-Poly1305 under HMAC-SHA-256(Secret, sealKeyInfo), with the
// additional data sealAD | the header (format and key ID) | the case ID, so that a case
// sealed for one ID does not open under another.
const sealFormat = 1

const (
	sealKeyInfo = "trustid/pgstore/review-case/v1 key"
	sealAD      = "trustid/pgstore/review-case/v1\x00"
	sealHeader  = 1 + 4
)

// checkKeys checks rotating keys: each Secret long enough, IDs distinct. need says
// whether at least one key is required.
func checkKeys(keys []store.Key, need bool) error {
	if need && len(keys) == 0 {
		return fmt.Errorf("pgstore: Config.Keys is required to store review cases: %w", store.ErrInvalidArgument)
	}
	seen := make(map[uint32]bool, len(keys))
	for _, k := range keys {
		if len(k.Secret) < MinKeySize {
			return fmt.Errorf("pgstore: every Config.Keys Secret must be at least %d bytes: %w", MinKeySize, store.ErrInvalidArgument)
		}
		if seen[k.ID] {
			return fmt.Errorf("pgstore: Config.Keys IDs must be distinct: %w", store.ErrInvalidArgument)
		}
		seen[k.ID] = true
	}
	return nil
}

// sealer seals and opens review cases under rotating keys.
type sealer struct {
	ids   []uint32
	aeads map[uint32]aead
}

type aead interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

func newSealer(keys []store.Key) (*sealer, error) {
	if err := checkKeys(keys, true); err != nil {
		return nil, err
	}
	s := &sealer{aeads: make(map[uint32]aead, len(keys))}
	for _, k := range keys {
		m := hmac.New(sha256.New, k.Secret)
		m.Write([]byte(sealKeyInfo))
		a, err := chacha20poly1305.NewX(m.Sum(nil))
		if err != nil {
			return nil, err
		}
		s.ids = append(s.ids, k.ID)
		s.aeads[k.ID] = a
	}
	return s, nil
}

func additionalData(header []byte, id string) []byte {
	ad := make([]byte, 0, len(sealAD)+len(header)+len(id))
	return append(append(append(ad, sealAD...), header...), id...)
}

// seal seals plaintext for the case id under the first key with a random nonce.
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
	return s.aeads[keyID].Seal(out, nonce, plaintext, additionalData(header, id))
}

// open opens a sealed case of id; any failure is ErrCorrupt, with no detail.
func (s *sealer) open(id string, sealed []byte) ([]byte, error) {
	const min = sealHeader + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
	if len(sealed) < min || sealed[0] != sealFormat {
		return nil, fmt.Errorf("%w: sealed case", ErrCorrupt)
	}
	a, ok := s.aeads[binary.BigEndian.Uint32(sealed[1:sealHeader])]
	if !ok {
		return nil, fmt.Errorf("%w: sealed case", ErrCorrupt)
	}
	nonce := sealed[sealHeader : sealHeader+chacha20poly1305.NonceSizeX]
	p, err := a.Open(nil, nonce, sealed[sealHeader+chacha20poly1305.NonceSizeX:], additionalData(sealed[:sealHeader], id))
	if err != nil {
		return nil, fmt.Errorf("%w: sealed case", ErrCorrupt)
	}
	return p, nil
}
