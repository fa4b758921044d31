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
	"strconv"
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
		return invalid("Digest", "must be 64 lower-case hex digits")
	}
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return invalid("Digest", "must be 64 lower-case hex digits")
		}
	}
	_, err := hex.Decode(d[:], b)
	return err
}

// AuditRecord is one step of a case's audit trail. Records form a hash chain: Hash is the
// SHA-256 over a canonical, length-prefixed encoding of every other field, and Prev is
// the previous record's Hash (all zero for the first record). See [VerifyChain].
type AuditRecord struct {
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
	// Level is the assurance level a step decided, when it decided one: on the approval
	// of a case with a [Journey], the level of the referee's decision. With Actor (the
	// referee's identity, "reviewer:<id>"), Action "approve" and Reasons (the referee's
	// rationale) it is the trusted-referee record of NIST SP 800-63A-4 §3.15. Zero
	// (verify.LevelNone) otherwise.
	Level verify.Level `json:"level,omitzero"`
	// Materials is the digest of the application's material references after the step:
	// SHA-256 over the length-prefixed tag "trustid/review/materials/v1", the number of
	// materials (8 bytes big-endian), and for each material in order its length-prefixed
	// Kind and Ref and its 32-byte Digest (lengths are 8 bytes big-endian).
	Materials Digest `json:"materials"`
	// HashAlg names the hash of the record's chain when it is not SHA-256: the
	// Config.AuditHash of the Desk that wrote it ("sm3" for module smsuite's SM3),
	// registered with [RegisterAuditHash]. Empty for SHA-256. Every record of a chain
	// names the same hash.
	HashAlg string `json:"hash_alg,omitempty"`
	// Hash chains the record; see [AuditRecord.ComputeHash].
	Hash Digest `json:"hash"`
}

const auditDomain = "trustid/review/audit/v1"

// ComputeHash returns the SHA-256 over the record's canonical encoding: the domain tag
// "trustid/review/audit/v1", then Seq (8 bytes big-endian), Prev (32 bytes), Time
// (Unix nanoseconds, 8 bytes big-endian), Actor, Action, Case, State's name, the number
// of reasons (8 bytes big-endian) and each reason, Materials (32 bytes), then, only for
// a record with a Level other than verify.LevelNone, the level's name (e.g.
// "real-person"), and finally, only for a record with a HashAlg, that name; the tag and
// every string are preceded by their length in bytes (8 bytes big-endian). A record
// without a level or a HashAlg hashes exactly as before they were recorded. Hash itself
// is not covered. testdata/audit holds a known-answer vector.
//
// A record with a HashAlg is hashed with that registered hash ([RegisterAuditHash])
// instead of SHA-256; if none is registered under the name, ComputeHash returns the zero
// Digest, which [VerifyChain] refuses. r must not be nil.
func (r *AuditRecord) ComputeHash() Digest {
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
	if r.Level != verify.LevelNone {
		b = appendLP(b, r.Level.String())
	}
	if r.HashAlg == "" {
		return sha256.Sum256(b)
	}
	newHash := auditHash(r.HashAlg)
	if newHash == nil {
		return Digest{}
	}
	b = appendLP(b, r.HashAlg)
	h := newHash()
	h.Write(b)
	var d Digest
	h.Sum(d[:0])
	return d
}

func appendLP(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// appendRecord chains a new record onto history and returns the extended slice.
func appendRecord(history []AuditRecord, r AuditRecord) []AuditRecord {
	r.Seq = uint64(len(history)) + 1
	if len(history) > 0 {
		r.Prev = history[len(history)-1].Hash
	}
	r.Time = r.Time.UTC()
	r.Hash = r.ComputeHash()
	return append(history, r)
}

// VerifyChain checks one case's audit trail end to end: sequence numbers 1, 2, 3, ...;
// one case ID throughout; every Time within 1970..2262 (the range its hash encoding
// covers); every Prev equal to the previous Hash (zero for the first); every Hash equal
// to the recomputed hash. It returns nil or an [*Error] with [ReasonChainBroken]
// (matching [ErrChainBroken]) whose Index is the first bad record and whose Field is
// the record field that failed ("seq", "case", "time", "hash_alg", "prev" or "hash";
// none for an empty trail), so a changed, deleted, inserted or reordered record is
// detected. A chain whose records name different hashes, or a hash this process has not
// registered ([RegisterAuditHash]), fails at "hash_alg": a verifier refuses a chain of a
// suite it was not given.
//
// VerifyChain cannot detect records removed from the end, nor a trail rewritten from
// some point on by someone who recomputes every later hash: anchor the head outside the
// store with [SignCheckpoint] and check it with [VerifyCheckpoint].
func VerifyChain(records []AuditRecord) error {
	if len(records) == 0 {
		return &Error{Reason: ReasonChainBroken, Err: errors.New("empty trail")}
	}
	var ch chain
	for i := range records {
		if err := ch.next(&records[i]); err != nil {
			return err
		}
	}
	return nil
}

// chain checks a trail one record at a time, as [VerifyChain] describes.
type chain struct {
	n       int    // records checked so far
	caseID  string // the first record's case
	hashAlg string // the first record's hash
	prev    Digest // the last record's hash
}

// next checks r as the record following those checked so far.
func (ch *chain) next(r *AuditRecord) error {
	i := ch.n
	if i == 0 {
		ch.caseID, ch.hashAlg = r.Case, r.HashAlg
	}
	field := ""
	switch {
	case r.Seq != uint64(i)+1:
		field = "seq"
	case r.Case != ch.caseID:
		field = "case"
	case r.Time.Before(minTime) || r.Time.After(maxTime):
		// The hash encodes Time as 64-bit Unix nanoseconds, which wrap outside this
		// range: two times 2^64 ns apart would hash alike.
		field = "time"
	case r.HashAlg != ch.hashAlg || auditHash(r.HashAlg) == nil:
		field = "hash_alg"
	case r.Prev != ch.prev:
		field = "prev"
	case r.ComputeHash() != r.Hash:
		field = "hash"
	}
	if field != "" {
		return &Error{Reason: ReasonChainBroken, Index: i, Field: field}
	}
	ch.prev = r.Hash
	ch.n++
	return nil
}

// ExportAudit writes records as JSON Lines, one record per line, for archiving: each
// line is the JSON object of one [AuditRecord] (digests as 64 lower-case hex digits,
// Time in RFC 3339 with nanoseconds, State by name, no HTML escaping), in order.
func ExportAudit(w io.Writer, records []AuditRecord) error {
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

// ImportAudit limits.
const (
	// MaxImportLine is the longest line ImportAudit accepts, in bytes.
	MaxImportLine = 64 << 10
	// MaxImportRecords is the most records ImportAudit accepts, whatever its
	// maxRecords.
	MaxImportRecords = 1 << 20
)

// ImportAudit parses a JSON Lines export written by [ExportAudit] and verifies it as
// [VerifyChain] does, record by record as it reads: the first record that is malformed
// or does not chain onto the one before stops the import, so a bad archive costs what
// reading up to its first bad record costs, and memory holds no more than the records
// returned. At most maxRecords records are read (0 means [MaxImportRecords], which is
// also the ceiling); one more fails with an [*Error] matching [ErrInvalidArgument]
// whose Index is maxRecords, and a negative maxRecords with one whose Field is
// "maxRecords".
//
// A line that is not exactly one well-formed record (unknown fields, a malformed
// digest, an unknown action or state, a malformed reason code, a time outside
// 1970..2262, trailing data, an empty line, more than [MaxImportLine] bytes) fails with
// an [*Error] matching [ErrInvalidArgument] whose Index is the record's position (line
// Index+1) and whose Field names the bad record field when one is to blame; a
// well-formed record that does not chain, and an empty export, fail as [VerifyChain]
// does, with [ErrChainBroken] and the record's Index. The final line may or may not end
// in a newline. Errors never echo the line's content.
func ImportAudit(r io.Reader, maxRecords int) ([]AuditRecord, error) {
	switch {
	case maxRecords < 0:
		return nil, invalid("maxRecords", "must not be negative")
	case maxRecords == 0 || maxRecords > MaxImportRecords:
		maxRecords = MaxImportRecords
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxImportLine)
	var records []AuditRecord
	var ch chain
	malformed := func(i int, field, rule string) error {
		return &Error{Reason: ReasonInvalidArgument, Index: i, Field: field,
			Err: errors.New("audit export line " + strconv.Itoa(i+1) + ": " + rule)}
	}
	for sc.Scan() {
		i := len(records)
		if i >= maxRecords {
			return nil, malformed(i, "", "more than "+strconv.Itoa(maxRecords)+" records")
		}
		rec, field, rule := parseRecord(sc.Bytes())
		if rule != "" {
			return nil, malformed(i, field, rule)
		}
		if err := ch.next(&rec); err != nil {
			return nil, err
		}
		records = append(records, rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, malformed(len(records), "", "line too long")
		}
		return nil, fmt.Errorf("review: import: %w", err)
	}
	if len(records) == 0 {
		return nil, &Error{Reason: ReasonChainBroken, Err: errors.New("empty trail")}
	}
	return records, nil
}

var (
	minTime = time.Unix(0, 0)
	maxTime = time.Unix(0, math.MaxInt64)
)

// parseRecord decodes one export line; on failure rule says what is wrong and field
// names the record field to blame, if one is.
func parseRecord(b []byte) (rec AuditRecord, field, rule string) {
	if len(bytes.TrimSpace(b)) == 0 {
		return rec, "", "empty line"
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, "", "not one well-formed record"
	}
	if _, err := dec.Token(); err != io.EOF {
		return rec, "", "trailing data"
	}
	switch {
	case rec.Seq == 0:
		return rec, "seq", "missing"
	case rec.Actor == "" || len(rec.Actor) > maxLabel:
		return rec, "actor", "must be 1.." + strconv.Itoa(maxLabel) + " bytes"
	case rec.Case == "" || len(rec.Case) > maxRef:
		return rec, "case", "must be 1.." + strconv.Itoa(maxRef) + " bytes"
	case !rec.State.Valid():
		return rec, "state", "unknown state"
	case !rec.Level.Valid():
		return rec, "level", "unknown level"
	case rec.Time.Before(minTime) || rec.Time.After(maxTime):
		return rec, "time", "outside 1970..2262"
	}
	if _, ok := eventByName(rec.Action); !ok {
		return rec, "action", "unknown action"
	}
	if err := validateReasons(rec.Reasons, false); err != nil {
		return rec, "reasons", "malformed reason code"
	}
	rec.Time = rec.Time.UTC()
	return rec, "", ""
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
	// Sig is the ed25519 signature over the canonical encoding of the other fields:
	// the length-prefixed tag "trustid/review/checkpoint/v1", the length-prefixed Case,
	// Seq (8 bytes big-endian), Head (32 bytes) and Time as Unix nanoseconds (8 bytes
	// big-endian); lengths are 8 bytes big-endian. testdata/audit holds a known-answer
	// vector.
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
func SignCheckpoint(key ed25519.PrivateKey, records []AuditRecord, now time.Time) (Checkpoint, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, invalid("key", "must be an ed25519 private key")
	}
	if err := VerifyChain(records); err != nil {
		return Checkpoint{}, err
	}
	last := records[len(records)-1]
	cp := Checkpoint{Case: last.Case, Seq: last.Seq, Head: last.Hash, Time: now.UTC()}
	cp.Sig = ed25519.Sign(key, cp.message())
	return cp, nil
}

// VerifyCheckpoint verifies records with [VerifyChain] and checks that cp is validly signed by
// pub and that records contain the checkpointed head: at least cp.Seq records, the
// record at cp.Seq hashing to cp.Head. Records appended after the checkpoint are
// accepted; records missing from it are not.
func VerifyCheckpoint(pub ed25519.PublicKey, records []AuditRecord, cp Checkpoint) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, cp.message(), cp.Sig) {
		return refusal(ReasonNotAuthentic)
	}
	if err := VerifyChain(records); err != nil {
		return err
	}
	if cp.Seq == 0 || cp.Case != records[0].Case || uint64(len(records)) < cp.Seq ||
		records[cp.Seq-1].Hash != cp.Head {
		return refusal(ReasonNotAuthentic)
	}
	return nil
}
