package kafka

import (
	"fmt"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// kafkaLogger adapts kafka-go's printf logging to zap at the given level. kafka-go's
// messages are free text, so they travel in the detail field under one fixed message.
func kafkaLogger(log *zap.Logger, level zapcore.Level) kafka.Logger {
	return kafka.LoggerFunc(func(format string, args ...any) {
		// kafka-go logs every fetch at debug; skip the formatting when nobody listens.
		if ce := log.Check(level, "kafka client"); ce != nil {
			ce.Write(zap.String("detail", fmt.Sprintf(format, args...)))
		}
	})
}
