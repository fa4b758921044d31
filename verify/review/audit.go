package review

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/trustid/trustid/verify"
)

// Digest is a SHA-256 value. It encodes as 64 lower-case hex digits.
type Digest [sha256.Size]byte

// String returns the hex encoding.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// MarshalText encodes d as lower-case hex.
func (d Digest) MarshalText() ([]byte, error) {
	b := make([]byte, hex.EncodedLen(len(d)))
	hex.Encode(b, d[:])
	return b, nil
}

// UnmarshalText decodes exactly 64 lower-case hex digits.
func (d *Digest) UnmarshalText(b []byte) error {
	if len(b) != hex.EncodedLen(len(d)) {
		return fmt.Errorf("review: digest must be %d hex digits: %w", hex.EncodedLen(len(d)), ErrInvalidArgument)
	}
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("review: digest must be lower-case hex: %w", ErrInvalidArgument)
		}
	}
	_, err := hex.Decode(d[:], b)
	return err
}

// Record is one step of a case's audit trail. Records form a hash chain: Hash is the
// SHA-256 over a canonical, length-prefixed encoding of every other field, and Prev is
// the previous record's Hash (all zero for the first record). See [Verify].
type Record struct {
	// Seq is 1 for the first record of a case and increases by one.
	Seq uint64 `json:"seq"`
	// Prev is the Hash of the previous record.
	Prev Digest `json:"prev"`
	// Time is when the step happened (UTC, from the injected clock).
	Time time.Time `json:"time"`
	// Actor is who acted: "applicant:<ref>", "reviewer:<id>", "supervisor:<id>" or
	// "system".
	Actor string `json:"actor"`
	// Action is the event's name (see [Event.String]).
	Action string `json:"action"`
	// Case is the case ID.
	Case string `json:"case"`
	// State is the case's state after the step.
	State State `json:"state"`
	// Reasons are the reason codes of the step (rejection, supplement request, expiry,
	// automatic check), if any.
	Reasons []verify.Reason `json:"reasons,omitempty"`
	// Materials is the digest of the application's material references after the step.
	Materials Digest `json:"materials"`
	// Hash chains the record; see [Record.ComputeHash].
	Hash Digest `json:"hash"`
}

const auditDomain = "trustid/review/audit/v1"

// ComputeHash returns the SHA-256 over the record's canonical encoding: a domain tag,
// then Seq (8 bytes big-endian), Prev (32 bytes), Time (Unix nanoseconds, 8 bytes), and
// Actor, Action, Case, State's name, the number of reasons and each reason, each
// string preceded by its length (8 bytes big-endian), and finally Materials (32 bytes).
// Hash itself is not covered.
func (r *Record) ComputeHash() Digest {
	var buf [512]byte
	b := appendLP(buf[:0], auditDomain)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = append(b, r.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.UnixNano()))
	b = appendLP(b, r.Actor)
	b = appendLP(b, r.Action)
	b = appendLP(b, r.Case)
	b = appendLP(b, r.State.String())
	b = binary.BigEndian.AppendUint64(b, uint64(len(r.Reasons)))
	for _, x := range r.Reasons {
		b = appendLP(b, string(x))
	}
	b = append(b, r.Materials[:]...)
	return sha256.Sum256(b)
}

func appendLP(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// appendRecord chains a new record onto history and returns the extended slice.
func appendRecord(history []Record, r Record) []Record {
	r.Seq = uint64(len(history)) + 1
	if len(history) > 0 {
		r.Prev = history[len(history)-1].Hash
	}
	r.Time = r.Time.UTC()
	r.Hash = r.ComputeHash()
	return append(history, r)
}

// Verify checks one case's audit trail end to end: sequence numbers 1, 2, 3, ...; one
// case ID throughout; every Time within 1970..2262 (the range its hash encoding
// covers); every Prev equal to the previous Hash (zero for the first); every
// Hash equal to the recomputed hash. It returns nil or a [*ChainError] (matching
// [ErrChainBroken]) with the index of the first bad record, so a changed, deleted,
// inserted or reordered record is detected.
//
// Verify cannot detect records removed from the end, nor a trail rewritten from some
// point on by someone who recomputes every later hash: anchor the head outside the
// store with [SignCheckpoint] and check it with [VerifyCheckpoint].
func Verify(records []Record) error {
	if len(records) == 0 {
		return &ChainError{Index: 0, Reason: "empty"}
	}
	var prev Digest
	for i := range records {
		r := &records[i]
		switch {
		case r.Seq != uint64(i)+1:
			return &ChainError{Index: i, Reason: "seq"}
		case r.Case != records[0].Case:
			return &ChainError{Index: i, Reason: "case"}
		case r.Time.Before(minTime) || r.Time.After(maxTime):
			// The hash encodes Time as 64-bit Unix nanoseconds, which wrap outside
			// this range: two times 2^64 ns apart would hash alike.
			return &ChainError{Index: i, Reason: "time"}
		case r.Prev != prev:
			return &ChainError{Index: i, Reason: "prev"}
		case r.ComputeHash() != r.Hash:
			return &ChainError{Index: i, Reason: "hash"}
		}
		prev = r.Hash
	}
	return nil
}

// Export writes records as JSON Lines, one record per line, for archiving.
func Export(w io.Writer, records []Record) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range records {
		if err := enc.Encode(&records[i]); err != nil {
			return fmt.Errorf("review: export record %d: %w", i, err)
		}
	}
	return bw.Flush()
}

// Import limits.
const (
	// MaxImportLine is the longest line Import accepts, in bytes.
	MaxImportLine = 64 << 10
	// MaxImportRecords is the most records Import accepts.
	MaxImportRecords = 1 << 20
)

// Import parses a JSON Lines export written by [Export] and verifies it with [Verify].
// A line that is not exactly one well-formed record (unknown fields, a malformed digest,
// an unknown action or state, a malformed reason code, a time outside 1970..2262,
// trailing data, an empty line) fails with an [*ImportError] matching [ErrMalformed];
// a well-formed trail that does not verify fails with a [*ChainError]. The final line may
// or may not end in a newline.
func Import(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxImportLine)
	var records []Record
	line := 0
	for sc.Scan() {
		line++
		if len(records) >= MaxImportRecords {
			return nil, &ImportError{Line: line, Reason: "too many records"}
		}
		rec, reason := parseRecord(sc.Bytes())
		if reason != "" {
			return nil, &ImportError{Line: line, Reason: reason}
		}
		records = append(records, rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ImportError{Line: line + 1, Reason: "line too long"}
		}
		return nil, fmt.Errorf("review: import: %w", err)
	}
	if err := Verify(records); err != nil {
		return nil, err
	}
	return records, nil
}

var (
	minTime = time.Unix(0, 0)
	maxTime = time.Unix(0, math.MaxInt64)
)

func parseRecord(b []byte) (Record, string) {
	var rec Record
	if len(bytes.TrimSpace(b)) == 0 {
		return rec, "empty line"
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, "not a record"
	}
	if _, err := dec.Token(); err != io.EOF {
		return rec, "trailing data"
	}
	switch {
	case rec.Seq == 0:
		return rec, "missing seq"
	case rec.Actor == "" || len(rec.Actor) > maxLabel:
		return rec, "bad actor"
	case rec.Case == "" || len(rec.Case) > maxRef:
		return rec, "bad case"
	case !rec.State.Valid():
		return rec, "bad state"
	case rec.Time.Before(minTime) || rec.Time.After(maxTime):
		return rec, "bad time"
	}
	if _, ok := eventByName(rec.Action); !ok {
		return rec, "bad action"
	}
	if err := validateReasons(rec.Reasons, false); err != nil {
		return rec, "bad reasons"
	}
	rec.Time = rec.Time.UTC()
	return rec, ""
}

// Checkpoint is a signed statement of a case's audit head: "case C had Seq records and
// the last one hashed to Head". Kept outside the store (a log server, a notary, a
// separate database), it makes truncation of the tail and wholesale rewriting
// detectable, which a hash chain alone cannot.
type Checkpoint struct {
	Case string    `json:"case"`
	Seq  uint64    `json:"seq"`
	Head Digest    `json:"head"`
	Time time.Time `json:"time"`
	// Sig is the ed25519 signature over the canonical encoding of the other fields.
	Sig []byte `json:"sig"`
}

func (cp *Checkpoint) message() []byte {
	b := appendLP(nil, "trustid/review/checkpoint/v1")
	b = appendLP(b, cp.Case)
	b = binary.BigEndian.AppendUint64(b, cp.Seq)
	b = append(b, cp.Head[:]...)
	return binary.BigEndian.AppendUint64(b, uint64(cp.Time.UnixNano()))
}

// SignCheckpoint verifies records and signs their head with key at time now.
func SignCheckpoint(key ed25519.PrivateKey, records []Record, now time.Time) (Checkpoint, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, fmt.Errorf("review: checkpoint key must be an ed25519 private key: %w", ErrInvalidArgument)
	}
	if err := Verify(records); err != nil {
		return Checkpoint{}, err
	}
	last := records[len(records)-1]
	cp := Checkpoint{Case: last.Case, Seq: last.Seq, Head: last.Hash, Time: now.UTC()}
	cp.Sig = ed25519.Sign(key, cp.message())
	return cp, nil
}

// VerifyCheckpoint verifies records with [Verify] and checks that cp is validly signed by
// pub and that records contain the checkpointed head: at least cp.Seq records, the
// record at cp.Seq hashing to cp.Head. Records appended after the checkpoint are
// accepted; records missing from it are not.
func VerifyCheckpoint(pub ed25519.PublicKey, records []Record, cp Checkpoint) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, cp.message(), cp.Sig) {
		return ErrBadCheckpoint
	}
	if err := Verify(records); err != nil {
		return err
	}
	if cp.Seq == 0 || cp.Case != records[0].Case || uint64(len(records)) < cp.Seq ||
		records[cp.Seq-1].Hash != cp.Head {
		return ErrBadCheckpoint
	}
	return nil
}
