"""LibreOffice's own Accept All and Reject All, run headless by a Basic macro in a private profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TIMEOUT = 300

# One soffice process resolves every file: for each IN/*.docx it writes OUT/<name>.accept.docx and
# OUT/<name>.reject.docx, through the same commands as Word's and LibreOffice's menus.
MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Resolve" script:language="StarBasic">
Sub ResolveAll(inDir As String, outDir As String)
    Dim name As String
    Dim names(200) As String
    Dim count As Integer
    count = 0
    name = Dir(inDir &amp; &quot;/*.docx&quot;)
    Do While name &lt;&gt; &quot;&quot;
        names(count) = name
        count = count + 1
        name = Dir()
    Loop
    Dim i As Integer
    For i = 0 To count - 1
        ResolveOne(inDir &amp; &quot;/&quot; &amp; names(i), outDir &amp; &quot;/&quot; &amp; Left(names(i), Len(names(i)) - 5), &quot;accept&quot;)
        ResolveOne(inDir &amp; &quot;/&quot; &amp; names(i), outDir &amp; &quot;/&quot; &amp; Left(names(i), Len(names(i)) - 5), &quot;reject&quot;)
    Next i
End Sub

Sub ResolveOne(source As String, target As String, mode As String)
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = &quot;Hidden&quot;
    load(0).Value = True
    Dim doc As Object
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
    Dim dispatcher As Object
    dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
    Dim frame As Object
    frame = doc.getCurrentController().getFrame()
    If mode = &quot;accept&quot; Then
        dispatcher.executeDispatch(frame, &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
    Else
        dispatcher.executeDispatch(frame, &quot;.uno:RejectAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
    End If
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = &quot;FilterName&quot;
    save(0).Value = &quot;MS Word 2007 XML&quot;
    doc.storeToURL(ConvertToURL(target &amp; &quot;.&quot; &amp; mode &amp; &quot;.docx&quot;), save())
    doc.close(True)
End Sub
</script:module>
"""

LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Resolve"/>
</library:library>
"""


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        raise RuntimeError("soffice is missing: install Debian's libreoffice-writer-nogui")
    return path


def resolve_with_libreoffice(files: dict[str, bytes], work: Path) -> dict[str, tuple[bytes, bytes]]:
    """name -> (the file after LibreOffice's Accept All, after its Reject All), saved as .docx."""
    program = soffice()
    profile = work / "profile"
    source, out = work / "in", work / "out"
    source.mkdir()
    out.mkdir()
    names = {}
    for i, (name, data) in enumerate(files.items()):
        (source / f"f{i}.docx").write_bytes(data)
        names[f"f{i}"] = name
    base = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    # The first start writes the profile; the macro goes into its Standard library afterwards.
    subprocess.run([*base, "--terminate_after_init"], capture_output=True, timeout=TIMEOUT, check=False)
    library = profile / "user" / "basic" / "Standard"
    library.mkdir(parents=True, exist_ok=True)
    (library / "Resolve.xba").write_text(MODULE, encoding="utf-8")
    (library / "script.xlb").write_text(LIBRARY, encoding="utf-8")
    run = subprocess.run(
        [*base, f'macro:///Standard.Resolve.ResolveAll("{source}","{out}")'],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    result = {}
    for stem, name in names.items():
        accepted, rejected = out / f"{stem}.accept.docx", out / f"{stem}.reject.docx"
        if not (accepted.exists() and rejected.exists()):
            raise RuntimeError(f"LibreOffice did not resolve {name}: {run.returncode} {run.stderr[-500:]}")
        result[name] = (accepted.read_bytes(), rejected.read_bytes())
    return result
