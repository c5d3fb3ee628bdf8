package tinynn.cli.report;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads plot files back in tests. */
public final class PlotFiles {
    private PlotFiles() {}

    /** The number of points of the SVG polyline of class {@code name}; -1 if absent. Fails if the file is not well-formed XML. */
    public static int points(Path svg, String name) throws Exception {
        NodeList ls = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()).getElementsByTagName("polyline");
        for (int i = 0; i < ls.getLength(); i++) {
            Element e = (Element) ls.item(i);
            if (e.getAttribute("class").equals(name)) {
                String p = e.getAttribute("points").trim();
                return p.isEmpty() ? 0 : p.split(" ").length;
            }
        }
        return -1;
    }
}
