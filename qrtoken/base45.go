package qrtoken

// base45 is the encoding of RFC 9285 ("The Base45 Data Encoding"): two bytes become three
// characters of the QR alphanumeric alphabet, a lone final byte becomes two. It is
// implemented here, not imported, so that decoding is strict: a triple whose value exceeds
// 65535, a final pair whose value exceeds 255, a character outside the alphabet or a length
// of 1 modulo 3 is refused (RFC 9285 §4.2: "the decoding MUST fail"), which gives every byte
// string exactly one text form.

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45Value maps a character to its value; 0xFF marks a character outside the alphabet.
var base45Value = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = uint8(i)
	}
	return t
}()

// base45EncodedLen returns the length of the base45 encoding of n bytes.
func base45EncodedLen(n int) int { return n/2*3 + n%2*2 }

// appendBase45 appends the base45 encoding of src to dst.
func appendBase45(dst, src []byte) []byte {
	for len(src) >= 2 {
		v := uint(src[0])<<8 | uint(src[1])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45%45], base45Alphabet[v/2025])
		src = src[2:]
	}
	if len(src) == 1 {
		v := uint(src[0])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45])
	}
	return dst
}

// encodeBase45 returns the base45 encoding of src.
func encodeBase45(src []byte) string {
	return string(appendBase45(make([]byte, 0, base45EncodedLen(len(src))), src))
}

// appendDecodeBase45 appends the bytes encoded by s to dst. It fails with [ErrMalformed]
// for any string that is not the exact base45 encoding of some byte string.
func appendDecodeBase45(dst []byte, s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return dst, errMalformed("base45 length")
	}
	for len(s) >= 3 {
		c, d, e := base45Value[s[0]], base45Value[s[1]], base45Value[s[2]]
		if (c|d|e)&0x80 != 0 {
			return dst, errMalformed("base45 character")
		}
		v := uint(c) + uint(d)*45 + uint(e)*2025
		if v > 0xFFFF {
			return dst, errMalformed("base45 value")
		}
		dst = append(dst, byte(v>>8), byte(v))
		s = s[3:]
	}
	if len(s) == 2 {
		c, d := base45Value[s[0]], base45Value[s[1]]
		if c == 0xFF || d == 0xFF {
			return dst, errMalformed("base45 character")
		}
		v := uint(c) + uint(d)*45
		if v > 0xFF {
			return dst, errMalformed("base45 value")
		}
		dst = append(dst, byte(v))
	}
	return dst, nil
}

// DecodeBase45 returns the bytes encoded by s in the base45 encoding of RFC 9285. It is
// exported for tools and tests that inspect a code's binary form; it refuses every string
// that is not the canonical encoding of some byte string with an error matching
// [ErrMalformed].
func DecodeBase45(s string) ([]byte, error) {
	return appendDecodeBase45(make([]byte, 0, len(s)/3*2+1), s)
}

// EncodeBase45 returns the RFC 9285 base45 encoding of b, the text form of every code.
func EncodeBase45(b []byte) string { return encodeBase45(b) }
