package liveness

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"time"
)

const (
	sealPurpose  = "liveness"
	stateVersion = 3
	maxField     = 255 // bytes in a subject, device or reference
	// maxObservations bounds a FinishRequest: four times the longest session is more than
	// any analyser reports for a genuine person.
	maxObservations = 4 * maxSteps
	// maxTokenLen bounds the token text Finish will decode. The largest session (255-byte
	// fields and consent ID, 16 steps of 32-byte actions, a device key with 16 attested
	// risks of 64 bytes) seals into about 4,000 characters; anything much longer is
	// refused before internal/seal decodes up to a mebibyte of it.
	maxTokenLen = 6144
	// maxRisks and maxRiskLen bound the device risks of a request or an attestation.
	maxRisks   = 16
	maxRiskLen = 64
)

var errState = errors.New("liveness: malformed session state")

// session is the state sealed into a token between Begin and Finish.
type session struct {
	id        [16]byte
	nonce     [16]byte
	issued    time.Time
	expires   time.Time
	remaining uint16    // attempts left to the subject and device after this one
	retryAt   time.Time // lock-out end when this attempt used up the limit
	subject   string
	device    string
	reference PhotoRef
	checkID   string
	consent   string       // the consent ID that covers the biometric step
	deviceKey []byte       // Ed25519 public key of the capture device; nil when not bound
	attested  bool         // the device key's attestation was verified
	risks     []DeviceRisk // risks the attestation reported (all under review)
	steps     []Step
}

func putTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.BigEndian.AppendUint64(b, 0)
	}
	return binary.BigEndian.AppendUint64(b, uint64(t.UnixNano()))
}

func putString(b []byte, s string) []byte {
	b = append(b, byte(len(s)))
	return append(b, s...)
}

// marshal encodes s. Field lengths are checked by Begin before.
func (s *session) marshal() []byte {
	n := 1 + 16 + 16 + 8 + 8 + 2 + 8 + 4 + len(s.subject) + len(s.device) + len(s.reference) + len(s.checkID) + 1 + len(s.consent) + 1 + 1 + len(s.deviceKey) + 2
	for _, st := range s.steps {
		n += 1 + len(st.Action) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, stateVersion)
	b = append(b, s.id[:]...)
	b = append(b, s.nonce[:]...)
	b = putTime(b, s.issued)
	b = putTime(b, s.expires)
	b = binary.BigEndian.AppendUint16(b, s.remaining)
	b = putTime(b, s.retryAt)
	b = putString(b, s.subject)
	b = putString(b, s.device)
	b = putString(b, string(s.reference))
	b = putString(b, s.checkID)
	b = putString(b, s.consent)
	b = putString(b, string(s.deviceKey))
	if s.attested {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = append(b, byte(len(s.risks)))
	for _, r := range s.risks {
		b = putString(b, string(r))
	}
	b = append(b, byte(len(s.steps)))
	for _, st := range s.steps {
		b = putString(b, string(st.Action))
		b = putTime(b, st.Deadline)
		b = binary.BigEndian.AppendUint64(b, uint64(st.MinDuration))
	}
	return b
}

type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u64() uint64 {
	v := r.take(8)
	if v == nil {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func (r *reader) time() time.Time {
	v := r.u64()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(v)).UTC()
}

func (r *reader) str() string {
	n := r.take(1)
	if n == nil {
		return ""
	}
	return string(r.take(int(n[0])))
}

// unmarshalSession decodes a session. The payload is authenticated before it gets here,
// but the decoder is strict anyway: any deviation is errState.
func unmarshalSession(b []byte) (*session, error) {
	r := reader{b: b}
	v := r.take(1)
	if v == nil || v[0] != stateVersion {
		return nil, errState
	}
	s := &session{}
	copy(s.id[:], r.take(16))
	copy(s.nonce[:], r.take(16))
	s.issued = r.time()
	s.expires = r.time()
	if rem := r.take(2); rem != nil {
		s.remaining = binary.BigEndian.Uint16(rem)
	}
	s.retryAt = r.time()
	s.subject = r.str()
	s.device = r.str()
	s.reference = PhotoRef(r.str())
	s.checkID = r.str()
	s.consent = r.str()
	if k := r.str(); k != "" {
		s.deviceKey = []byte(k)
	}
	if a := r.take(1); a != nil {
		s.attested = a[0] == 1
	}
	if nr := r.take(1); nr != nil {
		if int(nr[0]) > maxRisks {
			return nil, errState
		}
		for range int(nr[0]) {
			s.risks = append(s.risks, DeviceRisk(r.str()))
		}
	}
	var n int
	if c := r.take(1); c != nil {
		n = int(c[0])
	}
	if r.bad || n < minSteps || n > maxSteps || !s.issued.Before(s.expires) || s.subject == "" || s.device == "" || s.consent == "" ||
		(s.deviceKey != nil && len(s.deviceKey) != ed25519.PublicKeySize) || (s.attested && s.deviceKey == nil) {
		return nil, errState
	}
	s.steps = make([]Step, n)
	for i := range s.steps {
		st := &s.steps[i]
		st.Action = Action(r.str())
		st.Deadline = r.time()
		st.MinDuration = time.Duration(r.u64())
		if r.bad || !validAction(st.Action) || st.MinDuration <= 0 ||
			st.Deadline.Before(s.issued) || st.Deadline.After(s.expires) {
			return nil, errState
		}
	}
	if r.bad || len(r.b) != 0 {
		return nil, errState
	}
	return s, nil
}
