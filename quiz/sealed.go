package quiz

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"time"

	"github.com/trustid/trustid/internal/seal"
)

// ResultPurpose is the seal purpose of sealed results ([Examiner.SealResult]): a quiz
// token never opens as a result, nor a result as a quiz token, under the same key.
const ResultPurpose = "quiz/result/v1"

// ResultMaxAge is how long a sealed result stays openable after the quiz finished: as
// long as verify's default freshness of memory evidence.
const ResultMaxAge = 30 * time.Minute

// SealResult returns a token holding r, so that a journey whose decision is made on
// another server can carry the result there: any Examiner configured with one of the same
// Keys opens it with [Examiner.OpenResult]. The token is encrypted and authenticated
// (XChaCha20-Poly1305, purpose [ResultPurpose]); it expires ResultMaxAge after the quiz
// finished, so a result sealed later than that cannot be opened. It is not single use:
// verify's decision binds it to one document check (Result.CheckID).
//
// A nil r (the quiz was not performed) is [ErrInvalidArgument]: there is nothing to carry.
func (e *Examiner) SealResult(r *Result) (string, error) {
	if r == nil {
		return "", invalid("Result")
	}
	b, err := r.encode()
	if err != nil {
		return "", &Error{Reason: ReasonInvalidArgument, Field: "Result", Err: err}
	}
	tok, err := e.results.Seal(b, r.finished.Add(ResultMaxAge), rand.Reader)
	if err != nil {
		return "", &Error{Reason: ReasonInvalidArgument, Field: "Result", Err: err}
	}
	return tok, nil
}

// OpenResult authenticates a token made by [Examiner.SealResult] and returns the result
// it holds. A token that is malformed, tampered with, too long, sealed for another
// purpose (a quiz token) or under a key the examiner does not hold is [ErrNotAuthentic];
// an authentic one opened ResultMaxAge or more after its quiz finished is [ErrExpired].
func (e *Examiner) OpenResult(token string) (*Result, error) {
	if len(token) > maxResultTokenLen {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	b, _, _, err := e.results.Open(token, e.now())
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, &Error{Reason: ReasonExpired}
	case err != nil:
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	r, err := decodeResult(b)
	if err != nil {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	return r, nil
}

// The sealed form of a Result:
//
//	version (1) | passed (1: 0 or 1) | finished (8, Unix ns) | subject length (2) | subject |
//	check ID length (1) | check ID
//
// Integers are big-endian. The subject is 1 to 256 bytes, the check ID 0 to 255.
const (
	resultVersion = 1
	resultFixed   = 1 + 1 + 8 + 2
	// maxResultTokenLen bounds the token text OpenResult decodes. The largest result (a
	// 256-byte subject and a 255-byte check ID) seals into 770 characters.
	maxResultTokenLen = 1024
)

var errResult = errors.New("quiz: malformed result")

func (r *Result) encode() ([]byte, error) {
	if r.subject == "" || len(r.subject) > maxSubject || len(r.checkID) > maxCheckID {
		return nil, errResult
	}
	b := make([]byte, 0, resultFixed+len(r.subject)+1+len(r.checkID))
	b = append(b, resultVersion, 0)
	if r.passed {
		b[1] = 1
	}
	b = binary.BigEndian.AppendUint64(b, uint64(r.finished.UnixNano()))
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.subject)))
	b = append(b, r.subject...)
	b = append(b, byte(len(r.checkID)))
	b = append(b, r.checkID...)
	return b, nil
}

// decodeResult parses exactly one sealed result and nothing after it. Like decodeState it
// reads authenticated bytes, so a failure means a bug or a format change.
func decodeResult(b []byte) (*Result, error) {
	if len(b) < resultFixed || b[0] != resultVersion || b[1] > 1 {
		return nil, errResult
	}
	r := &Result{passed: b[1] == 1, finished: time.Unix(0, int64(binary.BigEndian.Uint64(b[2:]))).UTC()}
	n := int(binary.BigEndian.Uint16(b[10:]))
	b = b[resultFixed:]
	if n == 0 || n > maxSubject || len(b) < n+1 {
		return nil, errResult
	}
	r.subject = string(b[:n])
	b = b[n:]
	c := int(b[0])
	b = b[1:]
	if len(b) != c {
		return nil, errResult
	}
	r.checkID = string(b)
	return r, nil
}
