package liveness

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"sort"
	"time"
)

// DeviceRisk is a typed signal that the capture device is not a genuine camera on an
// untampered device (SP 800-63A-4 §3.14): reported by the host's device checks at Finish
// or by an [AttestationVerifier] at Begin.
type DeviceRisk string

// Device risks. Hosts may report others; a risk the policy does not name is refused.
const (
	RiskRooted          DeviceRisk = "rooted"           // rooted or jailbroken operating system
	RiskHooked          DeviceRisk = "hooked"           // a hooking framework in the capture app
	RiskEmulator        DeviceRisk = "emulator"         // an emulator or virtual machine, not a device
	RiskVirtualCamera   DeviceRisk = "virtual_camera"   // a virtual or software camera instead of a sensor
	RiskScreenRecording DeviceRisk = "screen_recording" // the screen was recorded or mirrored during capture
	RiskDebugger        DeviceRisk = "debugger"         // a debugger attached to the capture app
	RiskAppTampered     DeviceRisk = "app_tampered"     // the capture app's integrity check failed
)

// RiskAction is what a device risk leads to. The zero value refuses.
type RiskAction uint8

// Risk actions.
const (
	// RiskRefuse fails the session ([ReasonDeviceRisk]) or refuses Begin.
	RiskRefuse RiskAction = iota
	// RiskReview lets the session pass but records the risk; the result asks for review
	// ([Result.NeedsReview]), which verify turns into a review decision.
	RiskReview
)

// String returns "refuse" or "review".
func (a RiskAction) String() string {
	if a == RiskReview {
		return "review"
	}
	return "refuse"
}

// DefaultDeviceRiskPolicy is the policy used when Config.DeviceRiskPolicy is nil: a
// rooted device, a debugger or screen recording go to review (they have ordinary
// causes); an emulator, a hooking framework, a virtual camera or a tampered app — the
// tools of injection — are refused, as is any risk not listed.
func DefaultDeviceRiskPolicy() map[DeviceRisk]RiskAction {
	return map[DeviceRisk]RiskAction{
		RiskRooted: RiskReview, RiskDebugger: RiskReview, RiskScreenRecording: RiskReview,
		RiskHooked: RiskRefuse, RiskEmulator: RiskRefuse, RiskVirtualCamera: RiskRefuse, RiskAppTampered: RiskRefuse,
	}
}

// RiskFinding is a device risk as the audit records it: where it came from and what it
// led to.
type RiskFinding struct {
	Risk   DeviceRisk `json:"risk"`
	Action RiskAction `json:"action"`
	// FromAttestation is true for a risk the AttestationVerifier reported at Begin,
	// false for one the host reported at Finish.
	FromAttestation bool `json:"attested,omitempty"`
}

// AttestationVerifier checks a platform attestation of the device key presented at Begin
// (for example Android Key Attestation or Apple App Attest, verified by the host's code)
// and returns the device risks it reveals. An error refuses the device (fail closed): a
// bad attestation and an unreachable attestation service alike.
type AttestationVerifier interface {
	VerifyAttestation(ctx context.Context, deviceKey ed25519.PublicKey, attestation []byte) ([]DeviceRisk, error)
}

// CaptureEnvelope is one captured frame as the capture device reports it, signed with the
// device key presented at Begin. Envelopes form a hash chain: Prev is the previous
// envelope's [CaptureEnvelope.Link] (zero for the first), Index counts from 0, and the
// last envelope of a capture has Last set, so Finish detects frames from another
// session or device, reordered, dropped, duplicated or replayed frames, and a truncated
// capture.
//
// Signed message (Ed25519, RFC 8032, over these bytes):
//
//	"trustid/liveness/capture/v1" 0x00 | len(SessionID) (1 byte) | SessionID |
//	Index (4 bytes, big endian) | Prev (32) | FrameHash (32) |
//	CapturedAt (8 bytes, Unix nanoseconds, big endian) | Last (1 byte, 0 or 1)
type CaptureEnvelope struct {
	// SessionID is the challenge's SessionID (client view session_id).
	SessionID string
	Index     uint32
	Prev      [32]byte
	// FrameHash is SHA-256 of the frame as captured (the host's analyser hashes the
	// frames it analyses with the same function to tie them to the envelope).
	FrameHash [32]byte
	// CapturedAt is the capture time, on the host's clock (the client converts).
	CapturedAt time.Time
	Last       bool
	Signature  []byte
}

const captureDomain = "trustid/liveness/capture/v1\x00"

// SignedMessage returns the bytes the device signs.
func (e *CaptureEnvelope) SignedMessage() []byte {
	return e.appendSignedMessage(make([]byte, 0, len(captureDomain)+1+len(e.SessionID)+4+32+32+8+1))
}

func (e *CaptureEnvelope) appendSignedMessage(b []byte) []byte {
	b = append(b, captureDomain...)
	b = append(b, byte(len(e.SessionID)))
	b = append(b, e.SessionID...)
	b = binary.BigEndian.AppendUint32(b, e.Index)
	b = append(b, e.Prev[:]...)
	b = append(b, e.FrameHash[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(e.CapturedAt.UnixNano()))
	if e.Last {
		return append(b, 1)
	}
	return append(b, 0)
}

// Link returns SHA-256 of the signed message: the next envelope's Prev.
func (e *CaptureEnvelope) Link() [32]byte { return sha256.Sum256(e.SignedMessage()) }

// SignCapture signs e with the device's private key (the client's side, and tests).
func SignCapture(key ed25519.PrivateKey, e *CaptureEnvelope) {
	e.Signature = ed25519.Sign(key, e.SignedMessage())
}

// maxCapture bounds the envelopes of one FinishRequest (about 17 s at 30 frames a
// second; clients send sampled frames, not the video).
const maxCapture = 512

// deviceKeyID is the audit's reference of a device key: hex of SHA-256, first 16 bytes.
func deviceKeyID(k []byte) string {
	if len(k) == 0 {
		return ""
	}
	h := sha256.Sum256(k)
	return hex.EncodeToString(h[:16])
}

// checkCapture verifies the envelopes of a device-bound session and that every
// observation lies over at least one captured frame. It returns the reasons.
func (c *Challenger) checkCapture(s *session, env []CaptureEnvelope, obs []Observation, now time.Time, add func(Reason)) {
	if len(env) == 0 {
		add(ReasonCaptureMissing)
		return
	}
	sessionID := hex.EncodeToString(s.id[:])
	key := ed25519.PublicKey(s.deviceKey)
	latest := now.Add(c.cfg.MaxClockSkew)
	var prev [32]byte
	timesOK := true
	var buf [len(captureDomain) + 1 + maxField + 4 + 32 + 32 + 8 + 1]byte
	for i := range env {
		e := &env[i]
		msg := e.appendSignedMessage(buf[:0])
		switch {
		case !equalID(e.SessionID, sessionID):
			add(ReasonCaptureForeign)
		case !ed25519.Verify(key, msg, e.Signature):
			add(ReasonCaptureSignature)
		}
		if e.Index != uint32(i) || e.Prev != prev || e.Last != (i == len(env)-1) {
			add(ReasonCaptureSequence)
		}
		if e.CapturedAt.Before(s.issued) || e.CapturedAt.After(latest) || (i > 0 && !e.CapturedAt.After(env[i-1].CapturedAt)) {
			add(ReasonCaptureTime)
			timesOK = false
		}
		prev = sha256.Sum256(msg)
	}
	if !timesOK {
		return
	}
	for i, o := range obs {
		if i == len(s.steps) {
			break
		}
		// The first frame captured at or after the start must be no later than the end.
		j := sort.Search(len(env), func(j int) bool { return !env[j].CapturedAt.Before(o.Start) })
		if j == len(env) || env[j].CapturedAt.After(o.End) {
			add(ReasonCaptureUncovered)
			return
		}
	}
}

// applyRiskPolicy records findings and reports whether any is refused.
func (c *Challenger) riskAction(r DeviceRisk) RiskAction {
	a, ok := c.riskPolicy[r]
	if !ok {
		return RiskRefuse
	}
	return a
}

func (c *Challenger) findings(risks []DeviceRisk, attested bool) (out []RiskFinding, refused bool) {
	for _, r := range risks {
		if slices.ContainsFunc(out, func(f RiskFinding) bool { return f.Risk == r }) {
			continue
		}
		a := c.riskAction(r)
		refused = refused || a == RiskRefuse
		out = append(out, RiskFinding{Risk: r, Action: a, FromAttestation: attested})
	}
	return out, refused
}
