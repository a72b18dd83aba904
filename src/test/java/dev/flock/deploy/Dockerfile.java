package dev.flock.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the project's Dockerfiles, read the way a container builder reads it, so that the tests run the build
 * commands written there rather than a copy of them. It understands what Flock's Dockerfiles use: comments, line
 * continuations, {@code ARG} defaults before the first {@code FROM}, stages named with {@code AS}, instruction flags
 * such as {@code --from} and {@code --mount}, double-quoted words and the exec form of {@code ENTRYPOINT}.
 */
record Dockerfile(Path file, Map<String, String> args, List<Stage> stages) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** One instruction: its keyword in upper case, its leading {@code --name=value} flags and the rest, unquoted. */
    record Instruction(String keyword, Map<String, String> flags, List<String> words, String text) {
    }

    record Stage(String name, String image, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The stage's final working directory, as an absolute path inside the image. */
        String workdir() {
            String dir = "/";
            for (Instruction i : all("WORKDIR")) {
                dir = resolve(dir, i.words().get(0));
            }
            return dir;
        }

        /** The exec-form ENTRYPOINT, a JSON array of strings. */
        List<String> entrypoint() {
            List<Instruction> entrypoints = all("ENTRYPOINT");
            if (entrypoints.isEmpty()) {
                throw new IllegalStateException("stage " + name + " has no ENTRYPOINT");
            }
            try {
                return new ObjectMapper().readValue(entrypoints.get(entrypoints.size() - 1).text(), new TypeReference<>() { });
            } catch (IOException e) {
                throw new IllegalStateException("ENTRYPOINT of stage " + name + " is not in exec (JSON array) form", e);
            }
        }
    }

    static Dockerfile read(Path file) throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (String line : logicalLines(Files.readAllLines(file))) {
            Instruction instruction = parse(line);
            switch (instruction.keyword()) {
                case "ARG" -> {
                    if (current == null) {
                        String[] pair = instruction.words().get(0).split("=", 2);
                        args.put(pair[0], pair.length == 2 ? pair[1] : "");
                    } else {
                        current.add(instruction);
                    }
                }
                case "FROM" -> {
                    List<String> words = instruction.words();
                    String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                    current = new ArrayList<>();
                    stages.add(new Stage(name, substitute(words.get(0), args), current));
                }
                default -> {
                    if (current == null) {
                        throw new IllegalStateException(file + ": " + instruction.keyword() + " before the first FROM");
                    }
                    current.add(instruction);
                }
            }
        }
        return new Dockerfile(file, Map.copyOf(args), List.copyOf(stages));
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException(file + " has no stage named " + name));
    }

    /** The image that is shipped: the last stage. */
    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    /** An absolute path inside an image, for {@code path} given in a directory {@code dir} of that image. */
    static String resolve(String dir, String path) {
        return Path.of(dir).resolve(path).normalize().toString();
    }

    /** Comment lines dropped, continuation lines (ending in a backslash) joined, as the builder does. */
    private static List<String> logicalLines(List<String> physical) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : physical) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
            } else {
                pending.append(line);
                lines.add(pending.toString().strip());
                pending.setLength(0);
            }
        }
        if (!pending.isEmpty()) {
            lines.add(pending.toString().strip());
        }
        return lines;
    }

    private static Instruction parse(String line) {
        String[] split = line.split("\\s+", 2);
        String keyword = split[0].toUpperCase(java.util.Locale.ROOT);
        String rest = split.length == 2 ? split[1] : "";
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            String[] flagAndRest = rest.split("\\s+", 2);
            String[] pair = flagAndRest[0].substring(2).split("=", 2);
            flags.put(pair[0], pair.length == 2 ? pair[1] : "");
            rest = flagAndRest.length == 2 ? flagAndRest[1] : "";
        }
        return new Instruction(keyword, flags, words(rest), rest);
    }

    /** Splits at blanks outside double quotes and removes the quotes, as the builder does for COPY, ENV and FROM. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no ARG default for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
