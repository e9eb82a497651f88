# One place that finds the stack. Component lists are explicit: Debian's VTK Qt modules and
# OpenCV highgui are built against Qt 5 and must never reach a Qt 6 target (platform facts).
find_package(Threads REQUIRED)
find_package(Torch REQUIRED)

if(NOT CDNET_ML_ONLY)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
  find_package(ITK REQUIRED COMPONENTS ITKCommon ITKIOImageBase ITKIONRRD ITKIOMeta ITKIONIFTI
               ITKImageIntensity ITKThresholding ITKDistanceMap ITKWatersheds ITKMathematicalMorphology
               ITKLabelMap ITKConnectedComponents ITKImageStatistics ITKImageGrid ITKImageFilterBase)
  include(${ITK_USE_FILE})
  find_package(TIFF REQUIRED)
  find_package(HDF5 REQUIRED COMPONENTS C)
  find_package(nlohmann_json REQUIRED)
  find_package(CLI11 CONFIG QUIET)
  if(NOT CLI11_FOUND)
    find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
    add_library(CLI11::CLI11 INTERFACE IMPORTED)
    set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${CLI11_INCLUDE_DIR})
  endif()
  find_package(Qt6 REQUIRED COMPONENTS Core Test)
  if(CDNET_BUILD_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Gui Widgets OpenGL OpenGLWidgets Charts Svg Concurrent LinguistTools)
    find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel CommonExecutionModel
                 ImagingCore ImagingGeneral FiltersCore FiltersGeneral FiltersModeling RenderingCore
                 RenderingOpenGL2 RenderingUI RenderingImage RenderingVolume RenderingVolumeOpenGL2
                 RenderingAnnotation InteractionStyle)
  endif()
endif()
