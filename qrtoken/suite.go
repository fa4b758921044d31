package qrtoken

import (
	"crypto"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hpke"
	"crypto/sha256"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// Suite is the cryptography of a deployment's codes: the hash of the HKDF that derives
// each window's key and each key's replay ID, and the AEAD of online codes and
// check-ins. A deployment picks one suite for all its issuers and readers
// ([IssuerConfig.Suite], [ReaderConfig.Suite]); nil means [DefaultSuite]. The suite's ID
// is the high nibble of the first byte of every code, and a reader refuses a code of any
// other suite with [ErrWrongSuite] before it looks further.
//
// A Suite must be safe for concurrent use. Its AEADs must have a 12-byte nonce and a
// 16-byte tag: the wire format has room for exactly those (see the package
// documentation). Offline codes need an [OfflineSuite].
type Suite interface {
	// ID is the suite's number, 1 to 15. 1 is [DefaultSuite]; module
	// github.com/trustid/trustid/smsuite uses 2. IDs only need to be distinct among the
	// suites one deployment could confuse.
	ID() uint8
	// NewHash returns a new hash for HKDF (RFC 5869), at least 32 bytes of output.
	NewHash() hash.Hash
	// NewAEAD returns the AEAD of a window key of AEADKeySize bytes.
	NewAEAD(key []byte) (cipher.AEAD, error)
	// AEADKeySize is the length of the keys NewAEAD takes.
	AEADKeySize() int
}

// OfflineSuite is a [Suite] that also protects offline codes: the issuer's signature and
// the encryption to a reader group. Keys are the suite's own types, carried in
// [SigningKey], [IssuerPublicKey], [GroupPrivateKey] and [GroupPublicKey]; every method
// refuses a key of another type (an error, or false for Verify).
type OfflineSuite interface {
	Suite
	// Sign signs msg with key and returns exactly SignatureSize bytes.
	Sign(key crypto.Signer, msg []byte) ([]byte, error)
	// Verify reports whether sig is key's signature of msg.
	Verify(key crypto.PublicKey, msg, sig []byte) bool
	// SignatureSize is the length of every signature.
	SignatureSize() int
	// GroupEncrypt starts the encryption of one message to a reader group's public key,
	// bound to info: it returns the encapsulated key (EncapsulatedKeySize bytes) and a
	// function that encrypts the message once, authenticating aad. The encapsulated key
	// must be fresh for every call.
	GroupEncrypt(group crypto.PublicKey, info []byte) (enc []byte, seal func(aad, plaintext []byte) ([]byte, error), err error)
	// GroupDecrypt opens what GroupEncrypt's seal returned, given the group's private key.
	GroupDecrypt(group crypto.PrivateKey, enc, info, aad, ciphertext []byte) ([]byte, error)
	// EncapsulatedKeySize is the length of GroupEncrypt's enc.
	EncapsulatedKeySize() int
	// GroupPublicBytes returns the encoding of a group public key that the issuer's
	// signature covers, or an error if key is not a group public key of this suite.
	GroupPublicBytes(key crypto.PublicKey) ([]byte, error)
	// GroupPublic returns the public half of a group private key, or an error if key is
	// not a group private key of this suite.
	GroupPublic(key crypto.PrivateKey) (crypto.PublicKey, error)
}

// DefaultSuite returns the suite of codes with no other configured (ID 1):
// HKDF-SHA-256, ChaCha20-Poly1305, Ed25519 signatures and HPKE (RFC 9180) with
// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and ChaCha20Poly1305. Its keys:
// [SigningKey.Key] an ed25519.PrivateKey, [IssuerPublicKey.Key] an ed25519.PublicKey,
// [GroupPrivateKey.Key] an hpke.PrivateKey of that KEM (from [GenerateGroupKey]) and
// [GroupPublicKey.Key] its hpke.PublicKey.
func DefaultSuite() OfflineSuite { return defaultSuite{} }

type defaultSuite struct{}

const defaultSuiteID = 1

func (defaultSuite) ID() uint8                               { return defaultSuiteID }
func (defaultSuite) NewHash() hash.Hash                      { return sha256.New() }
func (defaultSuite) NewAEAD(key []byte) (cipher.AEAD, error) { return chacha20poly1305.New(key) }
func (defaultSuite) AEADKeySize() int                        { return chacha20poly1305.KeySize }
func (defaultSuite) SignatureSize() int                      { return ed25519.SignatureSize }
func (defaultSuite) EncapsulatedKeySize() int                { return 32 }

func (defaultSuite) Sign(key crypto.Signer, msg []byte) ([]byte, error) {
	k, ok := key.(ed25519.PrivateKey)
	if !ok || len(k) != ed25519.PrivateKeySize {
		return nil, errInvalidArgument("IssuerConfig.SigningKey")
	}
	return ed25519.Sign(k, msg), nil
}

func (defaultSuite) Verify(key crypto.PublicKey, msg, sig []byte) bool {
	k, ok := key.(ed25519.PublicKey)
	return ok && len(k) == ed25519.PublicKeySize && ed25519.Verify(k, msg, sig)
}

var (
	offlineKDF  = hpke.HKDFSHA256()
	offlineAEAD = hpke.ChaCha20Poly1305()
	offlineKEM  = hpke.DHKEM(ecdh.X25519())
)

// hpkeKEMX25519 is DHKEM(X25519, HKDF-SHA256), RFC 9180 §7.1.
const hpkeKEMX25519 = 0x0020

func hpkePublic(key crypto.PublicKey) (hpke.PublicKey, bool) {
	k, ok := key.(hpke.PublicKey)
	return k, ok && k != nil && k.KEM().ID() == hpkeKEMX25519
}

func hpkePrivate(key crypto.PrivateKey) (hpke.PrivateKey, bool) {
	k, ok := key.(hpke.PrivateKey)
	return k, ok && k != nil && k.KEM().ID() == hpkeKEMX25519
}

func (defaultSuite) GroupEncrypt(group crypto.PublicKey, info []byte) ([]byte, func(aad, plaintext []byte) ([]byte, error), error) {
	k, ok := hpkePublic(group)
	if !ok {
		return nil, nil, errInvalidArgument("group")
	}
	enc, sender, err := hpke.NewSender(k, offlineKDF, offlineAEAD, info)
	if err != nil {
		return nil, nil, err
	}
	return enc, sender.Seal, nil
}

func (defaultSuite) GroupDecrypt(group crypto.PrivateKey, enc, info, aad, ciphertext []byte) ([]byte, error) {
	k, ok := hpkePrivate(group)
	if !ok {
		return nil, errInvalidArgument("ReaderConfig.GroupKeys")
	}
	r, err := hpke.NewRecipient(enc, k, offlineKDF, offlineAEAD, info)
	if err != nil {
		return nil, err
	}
	return r.Open(aad, ciphertext)
}

func (defaultSuite) GroupPublicBytes(key crypto.PublicKey) ([]byte, error) {
	k, ok := hpkePublic(key)
	if !ok {
		return nil, errInvalidArgument("group")
	}
	return k.Bytes(), nil
}

func (defaultSuite) GroupPublic(key crypto.PrivateKey) (crypto.PublicKey, error) {
	k, ok := hpkePrivate(key)
	if !ok {
		return nil, errInvalidArgument("ReaderConfig.GroupKeys")
	}
	return k.PublicKey(), nil
}

// checkSuite returns s, or the default suite for nil, and refuses an ID outside 1 to 15.
func checkSuite(s Suite, field string) (Suite, error) {
	if s == nil {
		return defaultSuite{}, nil
	}
	if id := s.ID(); id < 1 || id > 15 || s.AEADKeySize() < 16 {
		return nil, errInvalidArgument(field)
	}
	return s, nil
}
