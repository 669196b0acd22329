@echo off
rem The runnel command: runs io.runnel.cli.RunnelCli with the jars in ..\lib on a JDK 21 or newer.
set "RUNNEL_JAVA=java"
if defined JAVA_HOME set "RUNNEL_JAVA=%JAVA_HOME%\bin\java"
"%RUNNEL_JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC %RUNNEL_JAVA_OPTS% -cp "%~dp0..\lib\*" io.runnel.cli.RunnelCli %*
