package livenesstest

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"time"

	"github.com/trustid/trustid/liveness"
)

// Device is a simulated capture device: an Ed25519 key pair made with crypto/rand that
// signs capture envelopes as a genuine client would. It is a test and demo helper: its
// frames are made up.
type Device struct {
	key ed25519.PrivateKey
}

// NewDevice returns a simulated device with a fresh key.
func NewDevice() *Device {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return &Device{key: priv}
}

// PublicKey is the key the client presents at Begin (BeginRequest.DeviceKey).
func (d *Device) PublicKey() ed25519.PublicKey { return d.key.Public().(ed25519.PublicKey) }

// CaptureAt returns a signed, chained capture of one frame per time in times (which
// must increase), for the session sessionID; the last envelope is marked Last. Each
// frame's hash is SHA-256 of the session ID and the frame's index (made-up frames).
func (d *Device) CaptureAt(sessionID string, times []time.Time) []liveness.CaptureEnvelope {
	out := make([]liveness.CaptureEnvelope, len(times))
	var prev [32]byte
	for i, at := range times {
		var idx [4]byte
		binary.BigEndian.PutUint32(idx[:], uint32(i))
		e := liveness.CaptureEnvelope{SessionID: sessionID, Index: uint32(i), Prev: prev,
			FrameHash: sha256.Sum256(append([]byte(sessionID), idx[:]...)), CapturedAt: at, Last: i == len(times)-1}
		liveness.SignCapture(d.key, &e)
		prev = e.Link()
		out[i] = e
	}
	return out
}

// Capture returns frames signed envelopes spread evenly over the span of obs (the
// observations [Simulate] made for ch), the first at the first observation's start and
// the last at the last one's end, so that every observation of at least
// span/(frames-1) has a frame. frames must be at least 2.
func (d *Device) Capture(ch *liveness.Challenge, obs []liveness.Observation, frames int) []liveness.CaptureEnvelope {
	start, end := obs[0].Start, obs[len(obs)-1].End
	step := end.Sub(start) / time.Duration(frames-1)
	times := make([]time.Time, frames)
	for i := range times {
		times[i] = start.Add(time.Duration(i) * step)
	}
	times[frames-1] = end
	return d.CaptureAt(ch.SessionID, times)
}

// TestAttestor is a stand-in for a platform attestation service: it "attests" a device
// key, with the risks it is told to report, by an HMAC under its secret, and verifies
// such attestations as a [liveness.AttestationVerifier]. It is a test helper: real
// attestations are signed by the platform vendor's keys and verified with them.
type TestAttestor struct {
	Secret []byte
}

// ErrAttestation is returned by [TestAttestor.VerifyAttestation] for an attestation it
// did not make for that key.
var ErrAttestation = errors.New("livenesstest: attestation not authentic")

// Attest returns an attestation of key that reports risks.
func (a TestAttestor) Attest(key ed25519.PublicKey, risks ...liveness.DeviceRisk) []byte {
	var body []byte
	for _, r := range risks {
		body = append(body, byte(len(r)))
		body = append(body, r...)
	}
	return append(a.mac(key, body), body...)
}

func (a TestAttestor) mac(key ed25519.PublicKey, body []byte) []byte {
	m := hmac.New(sha256.New, a.Secret)
	m.Write([]byte("livenesstest/attestation\x00"))
	m.Write(key)
	m.Write(body)
	return m.Sum(nil)
}

// VerifyAttestation implements [liveness.AttestationVerifier].
func (a TestAttestor) VerifyAttestation(ctx context.Context, key ed25519.PublicKey, att []byte) ([]liveness.DeviceRisk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(att) < sha256.Size || !hmac.Equal(att[:sha256.Size], a.mac(key, att[sha256.Size:])) {
		return nil, ErrAttestation
	}
	var risks []liveness.DeviceRisk
	for b := att[sha256.Size:]; len(b) > 0; {
		n := int(b[0])
		if 1+n > len(b) {
			return nil, ErrAttestation
		}
		risks = append(risks, liveness.DeviceRisk(b[1:1+n]))
		b = b[1+n:]
	}
	return risks, nil
}
