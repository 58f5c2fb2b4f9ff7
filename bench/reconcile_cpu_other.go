//go:build !unix

package bench

// processCPU is not measured on this system: the CPU figure reads 0.
func processCPU() float64 { return 0 }
