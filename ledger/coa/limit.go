package coa

import (
	"errors"
	"io"
)

// errFileTooLarge is returned by capReader once MaxFileSize is passed.
var errFileTooLarge = errors.New("file too large")

// capReader fails once more than left bytes were read, so a huge upload or a
// gzip bomb cannot exhaust memory.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errFileTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
