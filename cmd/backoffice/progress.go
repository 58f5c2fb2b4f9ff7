package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// newProgress returns a progress bar on stderr when stderr is a terminal, and
// a silent one otherwise (scripts and CI logs stay clean). max -1 is a spinner.
func newProgress(cmd *cobra.Command, max int64, what string) *progressbar.ProgressBar {
	var w io.Writer = io.Discard
	if f, ok := cmd.ErrOrStderr().(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			w = f
		}
	}
	return progressbar.NewOptions64(max, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
}
