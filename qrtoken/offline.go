package qrtoken

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/hpke"
	"encoding/binary"
)

// Offline mode layout constants (the sizes of the encapsulated key and the signature are
// the suite's).
const (
	offlineHeaderLen = 5  // version|kind, purpose, issuer key ID, group key ID, window mod 256
	offlineTagLen    = 16 // the AEAD tag of the group encryption
)

// SigningKey is an issuer's signing key for offline codes: an ed25519.PrivateKey under
// [DefaultSuite], the suite's own key type under another [OfflineSuite].
type SigningKey struct {
	ID  uint8
	Key crypto.Signer
}

func (k *SigningKey) check() error {
	if k.Key == nil {
		return errInvalidArgument("IssuerConfig.SigningKey")
	}
	if e, ok := k.Key.(ed25519.PrivateKey); ok && len(e) != ed25519.PrivateKeySize {
		return errInvalidArgument("IssuerConfig.SigningKey")
	}
	return nil
}

// Public returns the public half, for readers.
func (k SigningKey) Public() IssuerPublicKey {
	if k.Key == nil {
		return IssuerPublicKey{ID: k.ID}
	}
	return IssuerPublicKey{ID: k.ID, Key: k.Key.Public()}
}

// IssuerPublicKey is an issuer's public key held by readers of offline codes: an
// ed25519.PublicKey under [DefaultSuite].
type IssuerPublicKey struct {
	ID  uint8
	Key crypto.PublicKey
}

// GroupPrivateKey is a reader group's private key. Every reader of the group holds it;
// offline codes are encrypted to its public half. Under [DefaultSuite] it is an HPKE key,
// DHKEM(X25519, HKDF-SHA256) (RFC 9180), from [GenerateGroupKey].
type GroupPrivateKey struct {
	ID  uint8
	Key crypto.PrivateKey
}

// GroupPublicKey is the public half of a [GroupPrivateKey], given to issuers.
type GroupPublicKey struct {
	ID  uint8
	Key crypto.PublicKey
}

// GenerateGroupKey returns a new reader group key of [DefaultSuite] with the given ID.
func GenerateGroupKey(id uint8) (GroupPrivateKey, error) {
	k, err := offlineKEM.GenerateKey()
	if err != nil {
		return GroupPrivateKey{}, err
	}
	return GroupPrivateKey{ID: id, Key: k}, nil
}

// Public returns the public half, for issuers: the hpke.PublicKey of an HPKE key, or
// what a key with a Public() crypto.PublicKey method returns (nil for other keys).
func (k GroupPrivateKey) Public() GroupPublicKey {
	switch p := k.Key.(type) {
	case hpke.PrivateKey:
		return GroupPublicKey{ID: k.ID, Key: p.PublicKey()}
	case interface{ Public() crypto.PublicKey }:
		return GroupPublicKey{ID: k.ID, Key: p.Public()}
	}
	return GroupPublicKey{ID: k.ID}
}

// offlineInfo is the HPKE info: a label, the header and the purpose binding.
func offlineInfo(header []byte, p []byte) []byte {
	info := make([]byte, 0, 32+len(p))
	info = append(info, "trustid/qrtoken/v1 offline"...)
	info = append(info, header...)
	return append(info, p...)
}

// offlineSigned is what the issuer signs: a label, the header, the full window number and
// length, the purpose binding, the recipient group's public key, the HPKE encapsulated key
// and the claims. Signing the encapsulated key binds the signature to this one encryption,
// so that a member of the reader group cannot re-encrypt a code it received into a fresh
// code with a new replay identity; signing the group key stops it from forwarding the code
// to another group.
func offlineSigned(header []byte, window int64, length int64, binding, groupKey, enc, claims []byte) []byte {
	m := make([]byte, 0, 64+len(binding)+len(groupKey)+len(enc)+len(claims))
	m = append(m, "trustid/qrtoken/v1 offline signature"...)
	m = append(m, header...)
	m = binary.BigEndian.AppendUint64(m, uint64(window))
	m = binary.BigEndian.AppendUint64(m, uint64(length))
	m = append(m, binding...)
	m = append(m, groupKey...)
	m = append(m, enc...)
	return append(m, claims...)
}

// IssueOffline returns an offline code for purpose: the claims signed with the issuer's
// signing key and encrypted with HPKE to the reader group's public key, bound to the
// current window like an online code. Readers need no network: they hold the group private
// key and the issuers' public keys.
func (is *Issuer) IssueOffline(_ context.Context, claims Claims, purpose Purpose, group GroupPublicKey) (Code, error) {
	if is == nil {
		return Code{}, errInvalidArgument("Issuer")
	}
	if is.signing == nil || is.offline == nil {
		return Code{}, errInvalidArgument("IssuerConfig.SigningKey")
	}
	groupBytes, err := is.offline.GroupPublicBytes(group.Key)
	if err != nil {
		return Code{}, errInvalidArgument("group")
	}
	if err := purpose.Validate(); err != nil {
		return Code{}, err
	}
	now := is.now()
	wn := windowNumber(now, is.window)
	header := []byte{is.suite.ID()<<4 | kindOffline, purpose.ID, is.signing.ID, group.ID, byte(wn)}
	pt, err := appendClaims(make([]byte, 0, 128), &claims, &purpose, is.today(now))
	if err != nil {
		return Code{}, err
	}
	binding := purpose.binding()
	enc, seal, err := is.offline.GroupEncrypt(group.Key, offlineInfo(header, binding))
	if err != nil {
		return Code{}, errInvalidArgument("group")
	}
	sig, err := is.offline.Sign(is.signing.Key, offlineSigned(header, wn, int64(is.window), binding, groupBytes, enc, pt))
	if err != nil || len(sig) != is.offline.SignatureSize() {
		return Code{}, errInvalidArgument("IssuerConfig.SigningKey")
	}
	ct, err := seal(header, append(pt, sig...))
	if err != nil {
		return Code{}, err
	}
	out := make([]byte, 0, len(header)+len(enc)+len(ct))
	out = append(append(append(out, header...), enc...), ct...)
	w := windowAt(wn, is.window)
	return Code{
		text:    encodeBase45(out),
		Mode:    ModeOffline,
		Purpose: purpose.clone(),
		KeyID:   is.signing.ID,
		Window:  w,
		Expires: w.End,
	}, nil
}

func (r *Reader) openOffline(ctx context.Context, b []byte, o *Opened) error {
	if r.offline == nil {
		return errorf(ReasonUnknownKey, "")
	}
	encLen, sigLen := r.offline.EncapsulatedKeySize(), r.offline.SignatureSize()
	if len(b) < offlineHeaderLen+encLen+sigLen+offlineTagLen {
		return errMalformed("length")
	}
	header := b[:offlineHeaderLen]
	rp, err := r.purpose(header[1])
	if err != nil {
		return err
	}
	issuer, group := r.issuerKeys[header[2]], r.groupKeys[header[3]]
	if issuer == nil || group == nil {
		return errorf(ReasonUnknownKey, "")
	}
	now := r.now()
	wn, start, err := r.acceptWindow(now.UnixNano(), header[4])
	if err != nil {
		return err
	}
	enc := b[offlineHeaderLen : offlineHeaderLen+encLen]
	pt, err := r.offline.GroupDecrypt(group.key, enc, offlineInfo(header, rp.binding), header, b[offlineHeaderLen+encLen:])
	if err != nil || len(pt) < sigLen {
		return errNotAuthentic()
	}
	claims, sig := pt[:len(pt)-sigLen], pt[len(pt)-sigLen:]
	msg := offlineSigned(header, wn, int64(r.window), rp.binding, group.publicBytes, enc, claims)
	if !r.offline.Verify(issuer.key, msg, sig) {
		return errNotAuthentic()
	}
	if err := parseClaims(claims, &rp.p, &o.Claims); err != nil {
		return err
	}
	if err := r.checkAge(&o.Claims); err != nil {
		return err
	}
	// The signature identifies the code: it covers the encapsulated key, which is fresh
	// for every code, and only the issuer can make another.
	key := make([]byte, 0, replayIDLen+2+sigLen)
	key = append(key, issuer.replayID[:]...)
	key = append(append(key, header[0], header[2]), sig...)
	if err := r.claim(ctx, string(key), now, r.replayExpiry(start)); err != nil {
		return err
	}
	o.Purpose, o.Mode, o.KeyID, o.GroupKeyID, o.Window = rp.p.clone(), ModeOffline, header[2], group.id, windowAt(wn, r.window)
	return nil
}
