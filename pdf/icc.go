package pdf

import (
	"encoding/binary"
	"math"
)

// sRGBProfile builds an ICC version 2 display profile of sRGB (IEC
// 61966-2.1): D50 white point, the Bradford-adapted sRGB primaries and the
// sRGB tone curve sampled at 1024 points. PDF/A's output intent needs one;
// building it here spares shipping a profile file.
func sRGBProfile() []byte {
	s15 := func(v float64) []byte {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(int32(math.Round(v*65536))))
		return b[:]
	}
	xyz := func(x, y, z float64) []byte {
		out := append([]byte("XYZ \x00\x00\x00\x00"), s15(x)...)
		out = append(out, s15(y)...)
		return append(out, s15(z)...)
	}
	text := func(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }
	desc := func(s string) []byte {
		out := []byte("desc\x00\x00\x00\x00")
		out = binary.BigEndian.AppendUint32(out, uint32(len(s)+1))
		out = append(append(out, s...), 0)
		out = binary.BigEndian.AppendUint32(out, 0) // Unicode language
		out = binary.BigEndian.AppendUint32(out, 0) // Unicode count
		out = append(out, 0, 0, 0)                  // ScriptCode code and count
		return append(out, make([]byte, 67)...)
	}
	curve := []byte("curv\x00\x00\x00\x00")
	const n = 1024
	curve = binary.BigEndian.AppendUint32(curve, n)
	for i := range n {
		v := float64(i) / (n - 1)
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		curve = binary.BigEndian.AppendUint16(curve, uint16(math.Round(v*65535)))
	}
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", text("No copyright, use freely")},
		{"wtpt", xyz(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curve}, {"gTRC", curve}, {"bTRC", curve},
	}
	offset := 128 + 4 + 12*len(tags)
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	var data []byte
	trc := 0
	for _, t := range tags {
		at := offset + len(data)
		if t.sig[1:] == "TRC" {
			if trc == 0 {
				trc = at
				data = append(data, t.data...)
				for len(data)%4 != 0 {
					data = append(data, 0)
				}
			}
			at = trc
		} else {
			data = append(data, t.data...)
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(at))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
	}
	size := offset + len(data)
	h := make([]byte, 128)
	binary.BigEndian.PutUint32(h[0:], uint32(size))
	binary.BigEndian.PutUint32(h[8:], 0x02100000) // version 2.1
	copy(h[12:], "mntrRGB XYZ ")
	binary.BigEndian.PutUint16(h[24:], 2026) // date: 2026-01-01
	binary.BigEndian.PutUint16(h[26:], 1)
	binary.BigEndian.PutUint16(h[28:], 1)
	copy(h[36:], "acsp")
	copy(h[68:], s15(0.9642))
	copy(h[72:], s15(1.0))
	copy(h[76:], s15(0.8249))
	out := append(h, table...)
	return append(out, data...)
}
