package quiz

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
)

// The sealed state of one quiz. It holds no answer and no option text: only a per-session
// key, from which question and option IDs are derived, and for each question a keyed hash
// of its correct option ID.
//
//	version (1) | session key (32) | begin (8, Unix ns) | subject length (2) | subject |
//	check ID length (1) | check ID |
//	question count (1) | per question: option count (1) | score weight (2) | answer MAC (32)
const (
	stateVersion  = 2
	sessionKeyLen = 32
	macLen        = sha256.Size
	idBytes       = 12 // 96 bits, 16 base64url characters
	maxSubject    = 256
	maxCheckID    = 255
	// maxTokenLen bounds the token text Finish will decode. The largest state (a 256-byte
	// subject, 20 questions) seals into about 1,400 characters; anything much longer is
	// refused before internal/seal decodes up to a mebibyte of it.
	maxTokenLen = 4096
)

type state struct {
	key       [sessionKeyLen]byte
	begin     int64
	subject   string
	checkID   string
	questions []stateQuestion
}

type stateQuestion struct {
	options int
	weight  int
	answer  [macLen]byte
}

var errState = errors.New("quiz: malformed state")

func (s *state) encode() []byte {
	b := make([]byte, 0, 1+sessionKeyLen+8+2+len(s.subject)+1+len(s.checkID)+1+len(s.questions)*(3+macLen))
	b = append(b, stateVersion)
	b = append(b, s.key[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.begin))
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.subject)))
	b = append(b, s.subject...)
	b = append(b, byte(len(s.checkID)))
	b = append(b, s.checkID...)
	b = append(b, byte(len(s.questions)))
	for _, q := range s.questions {
		b = append(b, byte(q.options))
		b = binary.BigEndian.AppendUint16(b, uint16(q.weight))
		b = append(b, q.answer[:]...)
	}
	return b
}

// decodeState parses exactly one state and nothing after it. The payload is authenticated
// by the sealer, so a failure here means a bug or a format change, never a forgery; it is
// still parsed defensively.
func decodeState(b []byte) (*state, error) {
	var s state
	if len(b) < 1+sessionKeyLen+8+2 || b[0] != stateVersion {
		return nil, errState
	}
	b = b[1:]
	copy(s.key[:], b)
	b = b[sessionKeyLen:]
	s.begin = int64(binary.BigEndian.Uint64(b))
	b = b[8:]
	n := int(binary.BigEndian.Uint16(b))
	b = b[2:]
	if n == 0 || n > maxSubject || len(b) < n+1 {
		return nil, errState
	}
	s.subject = string(b[:n])
	b = b[n:]
	c := int(b[0])
	b = b[1:]
	if len(b) < c+1 {
		return nil, errState
	}
	s.checkID = string(b[:c])
	b = b[c:]
	nq := int(b[0])
	b = b[1:]
	if nq == 0 || nq > maxQuestions || len(b) != nq*(3+macLen) {
		return nil, errState
	}
	s.questions = make([]stateQuestion, nq)
	for i := range s.questions {
		q := &s.questions[i]
		q.options = int(b[0])
		q.weight = int(binary.BigEndian.Uint16(b[1:3]))
		if q.options < 2 || q.options > maxOptions+1 || q.weight < 1 || q.weight > maxWeight {
			return nil, errState
		}
		copy(q.answer[:], b[3:3+macLen])
		b = b[3+macLen:]
	}
	return &s, nil
}

// deriver computes the IDs and answer MACs of one session from its key.
type deriver struct {
	mac hash.Hash
	buf []byte
	sum [macLen]byte
}

func newDeriver(key []byte) *deriver {
	return &deriver{mac: hmac.New(sha256.New, key), buf: make([]byte, 0, 64)}
}

const (
	labelQuestion = 'q'
	labelOption   = 'o'
	labelAnswer   = 'a'
)

func (d *deriver) macOf(label byte, i, j int, extra string) []byte {
	d.mac.Reset()
	d.buf = append(d.buf[:0], "trustid/quiz/v1\x00"...)
	d.buf = append(d.buf, label, byte(i), byte(j))
	d.buf = append(d.buf, extra...)
	d.mac.Write(d.buf)
	return d.mac.Sum(d.sum[:0])
}

func (d *deriver) id(label byte, i, j int) string {
	return base64.RawURLEncoding.EncodeToString(d.macOf(label, i, j, "")[:idBytes])
}

func (d *deriver) questionID(i int) string  { return d.id(labelQuestion, i, 0) }
func (d *deriver) optionID(i, j int) string { return d.id(labelOption, i, j) }
func (d *deriver) answerMAC(i int, optionID string) []byte {
	return d.macOf(labelAnswer, i, 0, optionID)
}
