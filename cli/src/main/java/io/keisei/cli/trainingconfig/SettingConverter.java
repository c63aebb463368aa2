package io.keisei.cli.trainingconfig;

import picocli.CommandLine;

/** Lets picocli parse {@code --set} values, so a malformed one is a usage error (exit 2) before any request. */
public final class SettingConverter implements CommandLine.ITypeConverter<Setting> {

    @Override
    public Setting convert(String value) {
        try {
            return Setting.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
