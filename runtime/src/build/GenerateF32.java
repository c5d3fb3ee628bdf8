/*
 * Generates the float32 SIMD kernels (GemmF32, VecF32, ConvF32, ChannelF32) from the float64 ones (GemmF64, ...), as EJML
 * generates its _F32 classes and the JDK its X-Vector.java.template: the F64 file is the only one anybody edits.
 * Run by runtime/pom.xml in generate-sources with the JDK's source launcher:
 *
 *     java runtime/src/build/GenerateF32.java SRC_DIR OUT_DIR GemmF64.java VecF64.java
 *
 * Rules, applied in this order to each line of SRC_DIR/xxxF64.java, giving OUT_DIR/xxxF32.java:
 *   1. The line that names this generator (runtime/src/build/GenerateF32.java) becomes a line saying which file
 *      the output was generated from.
 *   2. "/*wide*" "/double" stays double: sums, bias corrections and other values that need double's range or
 *      precision in the float32 kernels too.
 *   3. "LITERAL /*F32: VALUE*" "/" becomes VALUE: a constant whose float32 value differs (not just its type).
 *   4. Everything else is renamed as text: DoubleVector -> FloatVector, Double -> Float, double -> float,
 *      F64 -> F32, f64 -> f32.
 * A marker this generator does not know, or a file without the rule-1 line, stops the build. Files are only
 * rewritten when their text changes, so that an unchanged source does not force a recompile.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

static final String SELF = "runtime/src/build/GenerateF32.java";
static final String WIDE = "/*wide*/double";
static final Pattern LITERAL = Pattern.compile("\\S+ /\\*F32: ([^*]+)\\*/");
static final Pattern ANY_MARKER = Pattern.compile("/\\*(wide|F32)\\b");
static final String[][] RENAMES = {
        {"DoubleVector", "FloatVector"}, {"Double", "Float"}, {"double", "float"}, {"F64", "F32"}, {"f64", "f32"}};

void main(String[] args) throws IOException {
    if (args.length < 3) throw new IllegalArgumentException("usage: GenerateF32.java SRC_DIR OUT_DIR FILE_F64.java...");
    Path src = Path.of(args[0]), out = Path.of(args[1]);
    Files.createDirectories(out);
    for (int i = 2; i < args.length; i++) {
        String name = args[i];
        if (!name.endsWith("F64.java")) throw new IllegalArgumentException(name + ": not an F64 source");
        String target = name.replace("F64", "F32");
        String text = generate(name, Files.readAllLines(src.resolve(name), StandardCharsets.UTF_8));
        Path file = out.resolve(target);
        if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println("GenerateF32: wrote " + file);
        }
    }
}

static String generate(String name, List<String> lines) {
    List<String> result = new ArrayList<>();
    result.add("// GENERATED from " + name + " by " + SELF + " at build time. Do not edit: edit " + name + ".");
    boolean named = false;
    for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n);
        if (line.contains(SELF)) {
            result.add(" * <p>Generated from {@code " + name + "} by {@code " + SELF + "}; edit that file, not this one.");
            named = true;
            continue;
        }
        // Protect the wide doubles from the renames with a character no source line contains.
        String s = line.replace(WIDE, "\u0000");
        Matcher m = LITERAL.matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).strip()));
        if (ANY_MARKER.matcher(s).find()) {
            throw new IllegalArgumentException(name + ":" + (n + 1) + ": unknown generator marker: " + line.strip());
        }
        for (String[] r : RENAMES) s = s.replace(r[0], r[1]);
        result.add(s.replace("\u0000", "double"));
    }
    if (!named) throw new IllegalArgumentException(name + ": no line names " + SELF + " (rule 1)");
    return String.join("\n", result) + "\n";
}
