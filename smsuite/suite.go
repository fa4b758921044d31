package smsuite

import (
	"crypto"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/hkdf"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"hash"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
)

// Suite is the SM2/SM3/SM4 suite. Its zero value is ready to use and safe for concurrent
// use; it holds no state. Put it in qrtoken.IssuerConfig.Suite and
// qrtoken.ReaderConfig.Suite and in store.Key.Suite of every sealing key; for audit
// chains set review.Config.AuditHash to [AuditHashName].
type Suite struct{}

var (
	_ qrtoken.OfflineSuite = Suite{}
	_ store.SealSuite      = Suite{}
)

// Wire constants of the suite (see the package documentation).
const (
	// ID is the suite's number in qrtoken codes: the first nibble of every code.
	ID = 2
	// SealID is the first byte of every sealed token and record.
	SealID = 0x02

	keySize      = 16 // SM4
	gcmNonceSize = 12
	tagSize      = 16
	sigSize      = 64               // r | s, 32 bytes each
	c1Size       = 33               // compressed SM2 point
	envKeyCT     = c1Size + 32 + 16 // SM2 ciphertext C1 | C3 | C2 of a 16-byte SM4 key
	sealNonce    = 24               // 12 bytes name the token's subkey, 12 are its GCM nonce
)

// ID returns [ID] (2).
func (Suite) ID() uint8 { return ID }

// NewHash returns SM3 (GB/T 32905): the hash of the suite's HKDF and of hash chains.
func (Suite) NewHash() hash.Hash { return sm3.New() }

// NewAEAD returns SM4-GCM (GB/T 32907 with the GCM mode of NIST SP 800-38D, as in RFC
// 8998) under a 16-byte key: 12-byte nonce, 16-byte tag.
func (Suite) NewAEAD(key []byte) (cipher.AEAD, error) { return newSM4GCM(key) }

// AEADKeySize returns 16, the SM4 key size.
func (Suite) AEADKeySize() int { return keySize }

func newSM4GCM(key []byte) (cipher.AEAD, error) {
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// SignatureSize returns 64: an SM2 signature as r | s, 32 bytes each, big endian.
func (Suite) SignatureSize() int { return sigSize }

// Sign signs msg with an SM2 private key (GB/T 32918.2) under the default user ID
// "1234567812345678": e = SM3(Z_A | msg). key must be a *sm2.PrivateKey.
func (Suite) Sign(key crypto.Signer, msg []byte) ([]byte, error) {
	k, ok := key.(*sm2.PrivateKey)
	if !ok || k == nil {
		return nil, errors.New("smsuite: signing key is not an SM2 key")
	}
	der, err := sm2.SignASN1(rand.Reader, k, msg, sm2.DefaultSM2SignerOpts)
	if err != nil {
		return nil, err
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
		return nil, errors.New("smsuite: malformed SM2 signature")
	}
	sig := make([]byte, sigSize)
	rs.R.FillBytes(sig[:32])
	rs.S.FillBytes(sig[32:])
	return sig, nil
}

// Verify reports whether sig (r | s) is the SM2 signature of msg under key, a
// *ecdsa.PublicKey on the SM2 curve, with the default user ID.
func (Suite) Verify(key crypto.PublicKey, msg, sig []byte) bool {
	k, ok := key.(*ecdsa.PublicKey)
	if !ok || k == nil || !sm2.IsSM2PublicKey(k) || len(sig) != sigSize {
		return false
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	der, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		return false
	}
	return sm2.VerifyASN1WithSM2(k, nil, msg, der)
}

// EncapsulatedKeySize returns 81: the SM2 ciphertext of a 16-byte SM4 key with a
// compressed C1.
func (Suite) EncapsulatedKeySize() int { return envKeyCT }

// groupContext binds the content encryption to the code: its AAD is this label, the
// length-prefixed info and the caller's aad.
func groupAAD(info, aad []byte) []byte {
	out := make([]byte, 0, 32+len(info)+len(aad))
	out = append(out, "trustid/smsuite/v1 group"...)
	out = append(out, byte(len(info)>>8), byte(len(info)))
	out = append(out, info...)
	return append(out, aad...)
}

// zeroNonce is the content encryption's nonce: the SM4 key is fresh for every message.
var zeroNonce [gcmNonceSize]byte

// GroupEncrypt draws a fresh SM4 key, encrypts it to group (a *ecdsa.PublicKey on the SM2
// curve) with SM2 public key encryption (GB/T 32918.4, C1 compressed, order C1 | C3 | C2),
// and returns that ciphertext as the encapsulated key and a function that encrypts the
// message once with SM4-GCM under the fresh key (zero nonce), authenticating info and aad.
func (Suite) GroupEncrypt(group crypto.PublicKey, info []byte) ([]byte, func(aad, plaintext []byte) ([]byte, error), error) {
	pub, ok := group.(*ecdsa.PublicKey)
	if !ok || pub == nil || !sm2.IsSM2PublicKey(pub) {
		return nil, nil, errors.New("smsuite: group key is not an SM2 public key")
	}
	var cek [keySize]byte
	rand.Read(cek[:])
	enc, err := sm2.Encrypt(rand.Reader, pub, cek[:], sm2.NewPlainEncrypterOpts(sm2.MarshalCompressed, sm2.C1C3C2))
	if err != nil {
		return nil, nil, err
	}
	if len(enc) != envKeyCT {
		return nil, nil, errors.New("smsuite: unexpected SM2 ciphertext length")
	}
	aead, err := newSM4GCM(cek[:])
	if err != nil {
		return nil, nil, err
	}
	used := false
	seal := func(aad, plaintext []byte) ([]byte, error) {
		if used {
			return nil, errors.New("smsuite: group encryption used twice")
		}
		used = true
		return aead.Seal(nil, zeroNonce[:], plaintext, groupAAD(info, aad)), nil
	}
	return enc, seal, nil
}

// GroupDecrypt opens what GroupEncrypt sealed, with the group's *sm2.PrivateKey.
func (Suite) GroupDecrypt(group crypto.PrivateKey, enc, info, aad, ciphertext []byte) ([]byte, error) {
	priv, ok := group.(*sm2.PrivateKey)
	if !ok || priv == nil {
		return nil, errors.New("smsuite: group key is not an SM2 private key")
	}
	// One encoding only: C1 compressed, so that no other spelling of the same key opens.
	if len(enc) != envKeyCT || (enc[0] != 2 && enc[0] != 3) {
		return nil, errDecrypt
	}
	cek, err := sm2.Decrypt(priv, enc)
	if err != nil || len(cek) != keySize {
		return nil, errDecrypt
	}
	aead, err := newSM4GCM(cek)
	if err != nil {
		return nil, errDecrypt
	}
	pt, err := aead.Open(nil, zeroNonce[:], ciphertext, groupAAD(info, aad))
	if err != nil {
		return nil, errDecrypt
	}
	return pt, nil
}

var errDecrypt = errors.New("smsuite: decryption failed")

// GroupPublicBytes returns the uncompressed point (65 bytes) of an SM2 group public key:
// what the issuer's signature covers.
func (Suite) GroupPublicBytes(key crypto.PublicKey) ([]byte, error) {
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || pub == nil || !sm2.IsSM2PublicKey(pub) {
		return nil, errors.New("smsuite: group key is not an SM2 public key")
	}
	b := make([]byte, 65)
	b[0] = 4
	pub.X.FillBytes(b[1:33])
	pub.Y.FillBytes(b[33:])
	return b, nil
}

// GroupPublic returns the public half of an SM2 group private key.
func (Suite) GroupPublic(key crypto.PrivateKey) (crypto.PublicKey, error) {
	priv, ok := key.(*sm2.PrivateKey)
	if !ok || priv == nil {
		return nil, errors.New("smsuite: group key is not an SM2 private key")
	}
	return &priv.PublicKey, nil
}

// SealID returns [SealID] (0x02).
func (Suite) SealID() byte { return SealID }

// SealAEAD returns the AEAD of sealed tokens under secret for info: a 24-byte nonce
// whose first 12 bytes select a per-token SM4 key, HKDF-Expand-SM3(K, "trustid/smsuite/v1
// seal" | nonce[:12], 16) with K = HKDF-SM3(secret, no salt, info, 32), and whose last 12
// bytes are the SM4-GCM nonce under it. The tag is 16 bytes.
func (Suite) SealAEAD(secret []byte, info string) (cipher.AEAD, error) {
	k, err := hkdf.Key(sm3.New, secret, nil, info, 32)
	if err != nil {
		return nil, err
	}
	return &sealAEAD{key: k}, nil
}

// sealAEAD is SM4-GCM with an extended nonce: random 192-bit nonces under one key never
// come near the 2^32 messages that random 96-bit GCM nonces allow per key.
type sealAEAD struct{ key []byte }

func (a *sealAEAD) NonceSize() int { return sealNonce }
func (a *sealAEAD) Overhead() int  { return tagSize }

func (a *sealAEAD) sub(nonce []byte) cipher.AEAD {
	if len(nonce) != sealNonce {
		panic("smsuite: bad nonce length")
	}
	k, err := hkdf.Expand(sm3.New, a.key, "trustid/smsuite/v1 seal"+string(nonce[:12]), keySize)
	if err != nil {
		panic("smsuite: " + err.Error()) // 16 bytes of HKDF-SM3 cannot fail
	}
	g, err := newSM4GCM(k)
	if err != nil {
		panic("smsuite: " + err.Error())
	}
	return g
}

func (a *sealAEAD) Seal(dst, nonce, plaintext, additionalData []byte) []byte {
	return a.sub(nonce).Seal(dst, nonce[12:], plaintext, additionalData)
}

func (a *sealAEAD) Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error) {
	return a.sub(nonce).Open(dst, nonce[12:], ciphertext, additionalData)
}

// AuditHashName is the name under which the package registers SM3 for audit chains
// (review.RegisterAuditHash) when it is imported: set review.Config.AuditHash to it.
const AuditHashName = "sm3"

func init() { review.RegisterAuditHash(AuditHashName, sm3.New) }
